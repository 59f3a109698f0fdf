using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Workflows.Tenancy;

namespace Exit.Activities.Tests.Tenancy;

/// <summary>A course start ticket issued in one municipality lets only that municipality's start build the course.</summary>
public sealed class CtiStartTicketTenancyTests
{
    [Fact]
    public void Ticket_IssuedInAarhus_AllowsTheStartInAarhusOnly()
    {
        var tickets = new CtiStartTickets();
        var (course, citizen) = (Guid.NewGuid(), Guid.NewGuid());
        IDisposable ticket;
        using (TenantScope.Enter("aarhus")) ticket = tickets.Issue(course, citizen, "w1");
        using (ticket)
        {
            using (TenantScope.Enter("aarhus")) Assert.True(tickets.Allows(new CourseId(course), citizen, "w1"));
            using (TenantScope.Enter(TenantIds.Default)) Assert.False(tickets.Allows(new CourseId(course), citizen, "w1"));
        }

        using (TenantScope.Enter("aarhus")) Assert.False(tickets.Allows(new CourseId(course), citizen, "w1"));
    }
}
