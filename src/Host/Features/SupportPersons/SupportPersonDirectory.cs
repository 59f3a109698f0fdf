using Exit.Activities.SupportPersons.Application;
using Exit.Activities.SupportPersons.Domain;
using Exit.Host.Infrastructure.Auth;

namespace Exit.Host.Features.SupportPersons;

/// <summary>The auth module's <see cref="ISupportPersonDirectory"/> from the scheme's register and matches.</summary>
public sealed class SupportPersonDirectory(SupportPersonRegister register, SupportPersonMatching matching, TimeProvider clock) : ISupportPersonDirectory
{
    public async Task<bool> IsCurrentlyMatchedAsync(string userName, string courseId, CancellationToken ct)
    {
        if (!Guid.TryParse(courseId, out var course)) return false;
        var me = await register.FindByUserAsync(userName, ct);
        if (me is null || me.Status != nameof(SupportPersonStatus.Active)) return false;
        var today = SupervisionCalendar.Today(clock.GetUtcNow());
        return (await matching.MatchesOfAsync(me.Id, ct)).Any(m => m.CourseId == course && m.IsCurrent(today));
    }

    public Task<IReadOnlySet<string>> SupportPersonUserNamesAsync(CancellationToken ct) => register.LinkedUserNamesAsync(ct);
}
