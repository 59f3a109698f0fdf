using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Reports;

namespace Exit.Activities.Tests.Cti.Reports;

/// <summary>Builds courses the way they are recorded: started, phases begun on given dates, ended or completed.</summary>
internal static class CohortBuilder
{
    public static readonly DateTimeOffset T0 = Dk.Winter(2024, 1, 8);

    /// <summary>A course started at <paramref name="start"/>; phase 1 after two weeks, then four-month phases up to <paramref name="reach"/>.</summary>
    public static Course Course(Guid citizen, DateTimeOffset start, CoursePeriod reach, bool complete, CourseGoal goal = CourseGoal.Exit, string worker = "w1")
    {
        var course = Exit.Activities.Cti.Domain.Course.Start(new CourseId(Guid.NewGuid()), new CitizenId(citizen), new WorkerId(worker), goal, start);
        var at = start.AddDays(14);
        for (var p = CoursePeriod.Phase1; p <= reach; p++)
        {
            course.StartPhase(p, at);
            at = CopenhagenCalendar.AddMonths(at, 4);
        }

        if (complete) course.Complete(course.Schedule[CoursePeriod.Phase3].EffectiveStart.AddDays(110));
        return course;
    }

    public static DateTimeOffset PhaseStart(Course c, CoursePeriod p) => c.Schedule[p].EffectiveStart;

    public static Evaluation Eval(Course c, EvaluationKind kind, DateTimeOffset at, int? who5Score, bool? paid, int? lifeStep) =>
        new(c.Id, kind, at,
            who5Score is { } s ? Who5OfScore(s) : null,
            paid is { } p ? new PaidForSexLastMonth(p ? SexSaleFrequency.Weekly : SexSaleFrequency.None) : null,
            lifeStep is { } l ? LifeSituationRating.FromSteps(Enumerable.Repeat(l, 10).ToArray()) : null);

    /// <summary>Five WHO-5 answers summing to score / 4 (score a multiple of 4).</summary>
    public static Who5 Who5OfScore(int score)
    {
        var raw = score / 4;
        var items = new int[5];
        for (var i = 0; i < 5; i++) items[i] = Math.Min(5, Math.Max(0, raw - i * 5));
        return Who5.FromItems(items);
    }

    public static ReportCourse Report(Course c, params Evaluation[] evaluations) =>
        new(c, TargetGroupDescriptors.None, "Team A", evaluations, [], null);
}
