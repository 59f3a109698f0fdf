using System.Security.Claims;
using Exit.Host.Infrastructure.Audit;

namespace Exit.Host.Tests.Auth;

/// <summary>The MediatR behaviour on its own: allowed after success (citizen from the response if needed), denied on <see cref="AccessDeniedException"/>.</summary>
public sealed class AuditBehaviorTests
{
    private sealed record ReadCourse(string CourseId) : IAuditedRequest, MediatR.IRequest<CourseView>
    {
        public AuditAction AuditAction => AuditAction.Read;
        public string AuditResourceType => "course";
        public string? AuditResourceId => CourseId;
        public string? AuditCitizenId => null;
        public string? AuditPurpose => "casework";
    }

    private sealed record CourseView(string CitizenId) : IAuditedResponse
    {
        public string? AuditCitizenId => CitizenId;
    }

    private sealed record NotAudited : MediatR.IRequest<int>;

    private sealed class RecordingLog : IAuditLog
    {
        public List<AuditRecord> Records { get; } = new();

        public Task WriteAsync(AuditRecord record, ClaimsPrincipal? user = null, CancellationToken ct = default)
        {
            Records.Add(record);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Handle_Success_WritesAllowedWithTheResponsesCitizen()
    {
        var log = new RecordingLog();

        await new AuditBehavior<ReadCourse, CourseView>(log).Handle(new ReadCourse("c-1"), default, () => Task.FromResult(new CourseView("citizen-1")));

        Assert.Equal(new AuditRecord(AuditAction.Read, "course", "c-1", "citizen-1", "casework"), Assert.Single(log.Records));
    }

    [Fact]
    public async Task Handle_AccessDenied_WritesDeniedAndRethrows()
    {
        var log = new RecordingLog();

        await Assert.ThrowsAsync<AccessDeniedException>(() => new AuditBehavior<ReadCourse, CourseView>(log)
            .Handle(new ReadCourse("c-2"), default, () => throw new AccessDeniedException("course", "c-2")));

        Assert.Equal(AuditOutcome.Denied, Assert.Single(log.Records).Outcome);
    }

    [Fact]
    public async Task Handle_RequestNotMarked_WritesNothing()
    {
        var log = new RecordingLog();

        await new AuditBehavior<NotAudited, int>(log).Handle(new NotAudited(), default, () => Task.FromResult(1));

        Assert.Empty(log.Records);
    }
}
