namespace Exit.Activities.Cti.Domain;

/// <summary>The baseline and final evaluation of one course, either possibly missing.</summary>
public sealed record CourseMeasurements(CourseId CourseId, Evaluation? Baseline, Evaluation? Final)
{
    /// <summary>
    /// Picks the first baseline and the last final evaluation of a course. Phase-change evaluations are
    /// ignored: the reports compare start with end, as the Exit Prostitution evaluation did.
    /// </summary>
    public static CourseMeasurements From(CourseId courseId, IEnumerable<Evaluation> evaluations)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        var own = evaluations.Where(e => e.CourseId == courseId).ToList();
        return new CourseMeasurements(
            courseId,
            own.Where(e => e.Kind == EvaluationKind.Baseline).MinBy(e => e.Date),
            own.Where(e => e.Kind == EvaluationKind.Final).MaxBy(e => e.Date));
    }
}
