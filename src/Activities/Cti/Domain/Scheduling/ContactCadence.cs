namespace Exit.Activities.Cti.Domain;

/// <summary>How often the worker meets the citizen. Support tapers from weekly to monthly over the phases.</summary>
public enum ContactCadence
{
    Weekly,
    EveryTwoWeeks,
    Monthly,
}
