using Exit.Activities.Cti.Persistence;
using Exit.Activities.Cti.Reports;
using Exit.Activities.HumanTasks;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Features.Reports;

/// <summary>
/// The demo's synthetic cohort (<see cref="SyntheticCohort"/>, 150 citizens "Syntetisk borger …" over two teams) and the
/// demo workers' place in the staffing table, so the outcome and fidelity reports show figures on a fresh machine.
/// Written in bulk in well under a second; only on a database without a synthetic cohort.
/// </summary>
public static class DemoCohort
{
    public const int Citizens = 150;

    /// <summary>
    /// In the municipality in scope, staffed by its two demo workers. Each demo municipality passes its own size and seed,
    /// so the national report compares two different cohorts.
    /// </summary>
    public static async Task SeedAsync(IServiceProvider services, string worker1, string worker2, CancellationToken ct, int citizens = Citizens, int seed = 17)
    {
        var cti = services.GetRequiredService<CtiDbContextFactory>();
        await using (var db = cti.Create())
        {
            if (await db.Citizens.AnyAsync(c => c.Alias.StartsWith(SyntheticCohort.AliasPrefix), ct)) return;
        }

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var records = SyntheticCohort.Generate(citizens, now, seed);
        var data = services.GetRequiredService<ReportData>();
        await SyntheticCohort.SeedAsync(records, cti, services.GetRequiredService<TaskDbContextFactory>(), ct);
        await data.RecordStaffingAsync(worker1, SyntheticCohort.Teams[0], 100, now.AddYears(-3), "demo", now, ct);
        await data.RecordStaffingAsync(worker2, SyntheticCohort.Teams[1], 80, now.AddYears(-3), "demo", now, ct);
    }
}
