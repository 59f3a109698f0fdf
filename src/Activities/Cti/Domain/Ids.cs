namespace Exit.Activities.Cti.Domain;

// Typed ids so a citizen id can never be passed where a course id is expected. Ids are created by the
// caller (an injected id generator), never inside the domain, to keep the domain deterministic.

public readonly record struct CitizenId(Guid Value)
{
    public override string ToString() => Value.ToString();
}

public readonly record struct CourseId(Guid Value)
{
    public override string ToString() => Value.ToString();
}

/// <summary>A worker's user id as issued by the identity store (a string there, so a string here).</summary>
public readonly record struct WorkerId(string Value)
{
    public override string ToString() => Value;
}
