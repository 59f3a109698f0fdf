using Exit.Host.Infrastructure.Audit;
using Exit.Workflows.Tenancy;

namespace Exit.Host.Tests.Security;

/// <summary>An ordinary audit entry (a worker's read of a course) for tests that write entries straight into a chain.</summary>
internal static class SampleAuditEntry
{
    public static AuditEntry Read(string resourceId, string tenant = TenantIds.Default, short lane = 0, DateTimeOffset? at = null) => new()
    {
        TenantId = tenant,
        Lane = lane,
        At = at ?? DateTimeOffset.UtcNow,
        UserId = "u-1",
        UserName = "someone",
        Action = AuditAction.Read,
        ResourceType = "course",
        ResourceId = resourceId,
        CitizenId = "citizen-1",
        Purpose = "casework",
        Outcome = AuditOutcome.Allowed,
        Ip = "10.0.0.1",
    };
}
