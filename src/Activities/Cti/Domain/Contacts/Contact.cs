namespace Exit.Activities.Cti.Domain;

/// <summary>What kind of contact the worker had (or tried to have).</summary>
public enum ContactKind
{
    /// <summary>Fysisk møde.</summary>
    InPerson,

    /// <summary>Telefon.</summary>
    Phone,

    /// <summary>Sms/chat.</summary>
    TextChat,

    /// <summary>Video.</summary>
    Video,

    /// <summary>Ledsagelse til en aftale (job centre, doctor, housing office).</summary>
    Accompaniment,

    /// <summary>Koordinering med en aktør uden borgeren.</summary>
    Coordination,

    /// <summary>Forsøgt, men ingen kontakt.</summary>
    Attempted,
}

/// <summary>Where the contact took place; the citizen chooses the place.</summary>
public enum ContactPlace
{
    Home,
    Cafe,
    Outreach,
    Office,
    Other,
}

/// <summary>
/// One revision of a logged contact. A correction is a new revision of the same <see cref="ContactId"/>; earlier
/// revisions stay. The note is a municipal case note (readable by the author, the course's responsible worker and
/// supervisors; never by managers).
/// </summary>
public sealed record Contact(
    Guid ContactId,
    int Revision,
    CourseId CourseId,
    ContactKind Kind,
    DateTimeOffset StartedAt,
    int DurationMinutes,
    ContactPlace Place,
    IReadOnlyList<string> Workers,
    IReadOnlyList<Guid> NetworkMemberIds,
    IReadOnlyList<FocusArea> FocusAreas,
    string? Note,
    string RecordedBy,
    DateTimeOffset RecordedAt)
{
    public const int MaxDurationMinutes = 24 * 60;
    public const int MaxNoteLength = 4000;

    /// <summary>
    /// Whether the contact was with the citizen and so keeps the rhythm: coordination without the citizen and an
    /// attempt that reached nobody are logged work, but the citizen was not met.
    /// </summary>
    public bool IsWithCitizen => IsCitizenContact(Kind);

    public static bool IsCitizenContact(ContactKind kind) => kind is not (ContactKind.Coordination or ContactKind.Attempted);

    public override string ToString() => $"Contact {ContactId} r{Revision} ({Kind})";
}
