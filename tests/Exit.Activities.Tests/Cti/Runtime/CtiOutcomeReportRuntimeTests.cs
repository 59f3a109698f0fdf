using Exit.Activities.Cti.Activities;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Exit.Activities.Tests.Cti.Runtime.CtiSchedule;

namespace Exit.Activities.Tests.Cti.Runtime;

/// <summary>
/// A synthetic cohort run through the real runtime (phases closed early so no timers are needed; evaluations recorded
/// through their tasks), and the outcome report checked against figures this test computes on its own.
/// </summary>
public sealed class CtiOutcomeReportRuntimeTests(ITestOutputHelper output)
{
    private sealed record Member(int[]? Who5Start, int[]? Who5End, string? PaidStart, string? PaidEnd, int[]? LifeStart, int[]? LifeEnd, bool RecordFinal, bool RecordBaseline);

    [Fact]
    public async Task OutcomeReport_ForASyntheticCohort_MatchesIndependentlyComputedFigures()
    {
        await using var host = await CtiRuntimeHost.StartAsync(Local(2026, 1, 5));
        var random = new Random(20261123);
        var frequencies = new[] { "None", "Once", "Several", "Weekly", "Daily" };
        var members = Enumerable.Range(0, 24).Select(i =>
        {
            int[] Items() => Enumerable.Range(0, 5).Select(_ => random.Next(0, 6)).ToArray();
            int[] Life(int lo, int hi) => Enumerable.Range(0, 10).Select(_ => random.Next(lo, hi + 1)).ToArray();
            var lifeStart = Life(1, 6);
            var lift = i % 3; // none/negative, moderate and large progressions all occur
            var lifeEnd = lifeStart.Select(s => Math.Clamp(s + random.Next(-1, 2) + lift, 1, 10)).ToArray();
            return new Member(
                Items(), Items(),
                frequencies[random.Next(0, 5)], i % 6 == 5 ? null : frequencies[random.Next(0, 3)],
                lifeStart, lifeEnd,
                RecordFinal: i % 8 != 7,
                RecordBaseline: i % 11 != 10);
        }).ToList();

        var ids = new List<Guid>();
        foreach (var m in members)
        {
            var citizen = await host.Cti(s => s.CreateCitizenAsync("Anonymous", null, CancellationToken.None));
            var course = await host.Cti(s => s.StartCourseAsync(citizen, "worker-" + (ids.Count % 3), CourseGoal.Exit, null, 1m, CancellationToken.None));
            ids.Add(course.CourseId);
            await host.Cti(s => s.DecideAsync(course.CourseId, "Continue", null, CancellationToken.None));
            if (m.RecordBaseline) await RecordAsync(host, course.CourseId, CtiTaskKinds.BaselineEvaluation, m.Who5Start, m.PaidStart, m.LifeStart);
            foreach (var period in new[] { CoursePeriod.Phase1, CoursePeriod.Phase2 })
                await host.Cti(s => s.ClosePhaseAsync(course.CourseId, period, CancellationToken.None));
            // Phase 3 closes early once the handover agreement is made.
            var agreement = await host.OpenTaskAsync(course.CourseId, CtiTaskKinds.NetworkAgreement);
            await host.CompleteTaskAsync(agreement.Id, "Done", System.Text.Json.Nodes.JsonNode.Parse("""{ "receivingActor": "Bostøtten" }"""));
            await host.Cti(s => s.ClosePhaseAsync(course.CourseId, CoursePeriod.Phase3, CancellationToken.None));
            if (m.RecordFinal) await RecordAsync(host, course.CourseId, CtiTaskKinds.FinalEvaluation, m.Who5End, m.PaidEnd, m.LifeEnd);
        }

        // Scores are computed by the system: sum × 4.
        foreach (var (id, m) in ids.Zip(members))
        {
            var evaluations = await host.EvaluationsAsync(id);
            if (m.RecordBaseline) Assert.Equal(m.Who5Start!.Sum() * 4, evaluations.Single(e => e.Kind == "Baseline").Who5Score);
            if (m.RecordFinal) Assert.Equal(m.Who5End!.Sum() * 4, evaluations.Single(e => e.Kind == "Final").Who5Score);
        }

        // Independently: pairs measured at both start and end only.
        var both = members.Where(m => m.RecordBaseline && m.RecordFinal).ToList();
        var who5Measured = both.Count;
        var riskStart = both.Count(m => m.Who5Start!.Sum() * 4 <= 50);
        var riskEnd = both.Count(m => m.Who5End!.Sum() * 4 <= 50);
        var paidPairs = both.Where(m => m.PaidEnd is not null).ToList();
        var paidStart = paidPairs.Count(m => m.PaidStart != "None");
        var paidEnd = paidPairs.Count(m => m.PaidEnd != "None");
        var changes = both.Select(m => m.LifeEnd!.Zip(m.LifeStart!, (e, s) => e - s).Average()).ToList();
        var large = changes.Count(c => c >= 2.0);
        var moderate = changes.Count(c => c is >= 1.0 and < 2.0);

        var report = await host.WithAsync(sp => sp.GetRequiredService<CtiQueries>().OutcomeReportAsync(new OutcomeReportFilter(ids), CancellationToken.None));
        output.WriteLine($"courses {report.Courses}; WHO-5 risk zone {report.Who5RiskZone}; paid for sex {report.PaidForSex}; life situation {report.LifeSituation}");
        Assert.Equal(24, report.Courses);
        Assert.Equal(new PairedShare(who5Measured, 24 - who5Measured, riskStart, riskEnd), report.Who5RiskZone);
        Assert.Equal(new PairedShare(paidPairs.Count, 24 - paidPairs.Count, paidStart, paidEnd), report.PaidForSex);
        Assert.Equal(new ProgressionSummary(who5Measured, 24 - who5Measured, large, moderate, who5Measured - large - moderate), report.LifeSituation);
        Assert.Equal((double)riskStart / who5Measured, report.Who5RiskZone.ShareAtStart);
        Assert.Equal((double)(large + moderate) / who5Measured, report.LifeSituation.ShareModerateOrLarge);
        Assert.True(who5Measured is > 10 and < 24 && paidPairs.Count < who5Measured, "the cohort exercises the not-measured counts");
        Assert.True(large > 0 && moderate > 0 && who5Measured - large - moderate > 0, "the cohort exercises every progression class");

        // A subset is a subset; completed-only counts only courses whose phase 3 ended.
        var firstFive = await host.WithAsync(sp => sp.GetRequiredService<CtiQueries>().OutcomeReportAsync(new OutcomeReportFilter(ids.Take(5).ToList()), CancellationToken.None));
        Assert.Equal(5, firstFive.Courses);
        var completed = await host.WithAsync(sp => sp.GetRequiredService<CtiQueries>().OutcomeReportAsync(new OutcomeReportFilter(CompletedOnly: true), CancellationToken.None));
        Assert.Equal(24, completed.Courses);
    }

    private static async Task RecordAsync(CtiRuntimeHost host, Guid courseId, string kind, int[]? who5, string? paid, int[]? life)
    {
        var task = await host.OpenTaskAsync(courseId, kind);
        await host.Cti(s => s.RecordEvaluationAsync(courseId, task.Id, Answers(who5, paid, life), "worker", CancellationToken.None));
    }
}
