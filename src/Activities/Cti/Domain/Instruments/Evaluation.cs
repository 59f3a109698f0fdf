namespace Exit.Activities.Cti.Domain;

public enum EvaluationKind
{
    /// <summary>At the start of the course (phase 1).</summary>
    Baseline,

    /// <summary>At the change to phase 2 or phase 3.</summary>
    PhaseChange,

    /// <summary>At the end of the course.</summary>
    Final,
}

/// <summary>
/// One measurement with the outcome instruments. Each instrument may be missing, because a citizen may
/// decline a question; reports then count that course as not measured for that instrument only.
/// </summary>
public sealed record Evaluation
{
    public Evaluation(
        CourseId courseId,
        EvaluationKind kind,
        DateTimeOffset date,
        Who5? who5,
        PaidForSexLastMonth? paidForSex,
        LifeSituationRating? lifeSituation)
    {
        if (who5 is null && paidForSex is null && lifeSituation is null)
        {
            throw new CtiRuleViolation(CtiRules.EvaluationEmpty, "An evaluation needs at least one instrument answered.");
        }

        CourseId = courseId;
        Kind = kind;
        Date = date;
        Who5 = who5;
        PaidForSex = paidForSex;
        LifeSituation = lifeSituation;
    }

    public CourseId CourseId { get; }

    public EvaluationKind Kind { get; }

    public DateTimeOffset Date { get; }

    public Who5? Who5 { get; }

    public PaidForSexLastMonth? PaidForSex { get; }

    public LifeSituationRating? LifeSituation { get; }

    public override string ToString() => $"Evaluation {Kind} for course {CourseId}";
}
