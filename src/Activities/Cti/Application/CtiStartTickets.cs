using System.Collections.Concurrent;
using Exit.Activities.Cti.Domain;
using Exit.Workflows.Tenancy;

namespace Exit.Activities.Cti.Application;

/// <summary>
/// The start-context marker only <see cref="CtiCourseService"/> sets. Before it starts a course's workflow the service
/// issues a ticket for the new course id with the citizen and worker it checked (citizen exists, caseload room);
/// <see cref="Activities.StartCtiCourse"/> builds a course only when a ticket for exactly that course, citizen and
/// worker is open. A workflow started any other way (Elsa execute, an event or timer trigger, a designer's own
/// definition) cannot create a course, let alone take over an existing one. In-process and per host: the
/// service and the start burst run in the same call. A ticket holds the municipality it was issued in and allows a
/// start only in that one.
/// </summary>
public sealed class CtiStartTickets
{
    private sealed record Ticket(string? TenantId, Guid CitizenId, string Worker);

    private readonly ConcurrentDictionary<Guid, Ticket> _open = new();

    /// <summary>Opens the ticket for the duration of the start; dispose it when the start has returned.</summary>
    public IDisposable Issue(Guid courseId, Guid citizenId, string worker)
    {
        if (!_open.TryAdd(courseId, new Ticket(TenantScope.Current, citizenId, worker)))
            throw new InvalidOperationException($"Course {courseId} is already being started.");
        return new Closer(this, courseId);
    }

    public bool Allows(CourseId courseId, Guid citizenId, string worker) =>
        _open.TryGetValue(courseId.Value, out var ticket) && ticket.TenantId is not null
        && ticket.TenantId == TenantScope.Current && ticket.CitizenId == citizenId
        && string.Equals(ticket.Worker, worker, StringComparison.Ordinal);

    private sealed class Closer(CtiStartTickets owner, Guid courseId) : IDisposable
    {
        public void Dispose() => owner._open.TryRemove(courseId, out _);
    }
}
