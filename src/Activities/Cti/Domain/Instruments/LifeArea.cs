namespace Exit.Activities.Cti.Domain;

/// <summary>The ten areas in which Exit Prostitution monitored the citizen's own view of their life situation.</summary>
public enum LifeArea
{
    HousingAdministration,
    MentalHealth,
    PhysicalHealth,
    SocialNetworkAndRelations,
    MotivationAndResponsibility,
    FinancesAdministration,
    MeaningfulUseOfTime,
    AlcoholAndDrugUse,
    CriminalBehaviour,
    LifeSkillsAndSelfCare,
}
