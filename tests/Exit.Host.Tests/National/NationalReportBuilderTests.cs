using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.Cti.Reports;
using Exit.Host.Features.National;

namespace Exit.Host.Tests.National;

/// <summary>
/// The national table from two municipalities with their own courses (what each municipality's scope sees once the
/// stores separate them): the real calculators per municipality, the totals, and the protection of small cells.
/// Expected figures are counted here from the registrations.
/// </summary>
public sealed class NationalReportBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly ReportOptions Exact = new() { SuppressBelow = 1 };

    [Fact]
    public void TwoMunicipalities_OneSmall_OwnFiguresShown_SmallOnesLessThanFive_NoTotalGivesThemAway()
    {
        var kbh = Courses(SyntheticCohort.Generate(23, Now, seed: 3));
        var aarhus = Courses(SyntheticCohort.Generate(3, Now, seed: 5));

        var report = Build(("default", "København", kbh), ("aarhus", "Aarhus", aarhus));

        var citizens = report.Rows.Single(r => r.Key == "outcome.citizens");
        Assert.Equal(23, citizens.Cells[0].Value);
        Assert.Equal(("<5", Suppression.Primary), (citizens.Cells[1].Display, citizens.Cells[1].Suppression));
        Assert.Null(citizens.Cells[1].N);
        Assert.Equal(("skjult", Suppression.Secondary), (citizens.Total.Display, citizens.Total.Suppression));
        foreach (var (key, outcome) in Statuses)
        {
            var row = report.Rows.Single(r => r.Key == key);
            var expected = kbh.Count(c => c.Course.Outcome == outcome);
            var cell = row.Cells[0];
            if (expected is > 0 and < 5) Assert.Equal("<5", cell.Display);
            else if (cell.Suppression == Suppression.None) Assert.Equal(expected, cell.Value);
            // Aarhus has 3 citizens: every status it has is "<5"; one it does not have is a plain 0.
            var small = aarhus.Count(c => c.Course.Outcome == outcome);
            Assert.Equal(small == 0 ? ("0", Suppression.None) : ("<5", Suppression.Primary), (row.Cells[1].Display, row.Cells[1].Suppression));
        }

        foreach (var row in report.Rows)
        {
            Assert.NotEqual(1, row.Cells.Append(row.Total).Count(c => c.Suppression != Suppression.None));
            foreach (var cell in row.Cells.Append(row.Total).Where(c => c.Suppression == Suppression.None && row.Key is not ("fidelity.caseloadWithinLimit" or "fidelity.workersSharing" or "fidelity.supervisionWorkers" or "fidelity.supervisionSupportPersons")))
                Assert.False(cell.N is > 0 and < 5, $"{row.Key}/{cell.Municipality} shows n={cell.N}");
        }
    }

    [Fact]
    public void TwoLargeMunicipalities_TheTotalAddsTheirCounts_AndPoolsTheirContacts()
    {
        var kbh = Courses(SyntheticCohort.Generate(40, Now, seed: 3));
        var odense = Courses(SyntheticCohort.Generate(30, Now, seed: 8));

        var report = Build(("default", "København", kbh), ("odense", "Odense", odense));

        var citizens = report.Rows.Single(r => r.Key == "outcome.citizens");
        Assert.Equal([40.0, 30.0, 70.0], citizens.Cells.Append(citizens.Total).Select(c => c.Value!.Value));
        var completed = report.Rows.Single(r => r.Key == "outcome.completed");
        var expected = kbh.Concat(odense).Count(c => c.Course.Outcome == CourseOutcome.Completed);
        if (completed.Total.Suppression == Suppression.None) Assert.Equal(expected, completed.Total.Value);

        // WHO-5 mean at the start over both municipalities' citizens (one course each), from the first baseline of each.
        var who5 = kbh.Concat(odense)
            .Select(c => c.Evaluations.Where(e => e.Kind == EvaluationKind.Baseline).OrderBy(e => e.Date).FirstOrDefault()?.Who5?.Score)
            .OfType<int>().ToList();
        var who5Mean = report.Rows.Single(r => r.Key == "outcome.who5Mean.Start");
        Assert.Equal(who5.Count, who5Mean.Total.N);
        Assert.Equal(who5.Average(), who5Mean.Total.Value!.Value, 9);

        // Contacts with the citizen per week in phase 1 over both municipalities' courses, counted here.
        var phase1 = report.Rows.Single(r => r.Key == "fidelity.contactsPerWeek.Phase1").Total;
        var (contacts, weeks) = (0, 0.0);
        foreach (var c in kbh.Concat(odense).Where(c => c.IsFullCourse))
        {
            var period = c.Course.Schedule[CoursePeriod.Phase1];
            var from = period.ActualStart!.Value;
            var to = period.ActualEnd ?? (Now < period.EffectiveEnd ? Now : period.EffectiveEnd);
            if (c.Course.IsEnded && c.Course.Schedule.End < to) to = c.Course.Schedule.End;
            var active = FidelityCalculator.ActiveTime(c.Course, from, to);
            if (active <= TimeSpan.Zero) continue;
            weeks += active.TotalDays / 7;
            contacts += c.Contacts.Count(x => x.WithCitizen && x.StartedAt >= from && x.StartedAt < to);
        }

        Assert.Equal(contacts / weeks, phase1.Value!.Value, 6);
    }

    [Fact]
    public void EveryFigure_HasADanishLabel()
    {
        foreach (var figure in NationalFigures.All.Select(f => f.Key).Concat(["outcome", "fidelity"]))
            Assert.True(NationalText.Has(figure), $"no label for {figure}");
    }

    private static readonly (string Key, CourseOutcome Outcome)[] Statuses =
    [
        ("outcome.completed", CourseOutcome.Completed), ("outcome.droppedOut", CourseOutcome.DroppedOut),
        ("outcome.endedAtClarification", CourseOutcome.EndedAtClarification), ("outcome.ongoing", CourseOutcome.Running),
    ];

    private static NationalReport Build(params (string Id, string Name, List<ReportCourse> Courses)[] municipalities)
    {
        var filter = new ReportFilter();
        var list = municipalities.Select(m => new NationalFigures.Municipality(
            new NationalMunicipality(m.Id, m.Name),
            OutcomeCalculator.Compute(m.Courses, filter, Exact),
            FidelityCalculator.Compute(m.Courses, [], [], filter, Exact, Now))).ToList();
        var pooled = FidelityCalculator.Compute(municipalities.SelectMany(m => m.Courses), [], [], filter, Exact, Now);
        return NationalReportBuilder.Build(list, pooled, new NationalFilter(null, null, null), 5, Now);
    }

    /// <summary>The synthetic registrations as the reports read them (the store's own mapping for evaluations).</summary>
    private static List<ReportCourse> Courses(SyntheticCohort.Records records)
    {
        var evaluations = records.Evaluations.Select(CtiQueries.ToEvaluation).ToLookup(e => e.CourseId.Value.ToString());
        var contacts = records.Contacts.ToLookup(c => c.CourseId, c => new ReportContact(Enum.Parse<ContactKind>(c.Kind), c.StartedAt));
        return records.Courses.Select(c => new ReportCourse(
            Course.Restore(CourseJson.Deserialize(c.StateJson)), TargetGroupDescriptors.None, null,
            evaluations[c.Id].ToList(), contacts[c.Id].ToList(), null)).ToList();
    }
}
