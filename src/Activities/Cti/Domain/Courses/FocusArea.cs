namespace Exit.Activities.Cti.Domain;

/// <summary>The eight CTI focus areas (fokusområder); 3–5 are chosen with the citizen per phase.</summary>
public enum FocusArea
{
    Economy,
    Housing,
    Network,
    DailyActivities,
    PhysicalHealth,
    MentalHealth,
    SubstanceAbuse,
    EducationAndEmployment,
}
