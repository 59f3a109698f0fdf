using System.Text.Json;
using Exit.Activities.Cti.Domain;

namespace Exit.Activities.Cti.Persistence;

/// <summary>Maps a <see cref="Contact"/> revision to its row and back (enums as names, lists as JSON arrays).</summary>
public static class ContactRows
{
    public static ContactRecord ToRecord(Contact c) => new()
    {
        ContactId = c.ContactId.ToString(),
        Revision = c.Revision,
        CourseId = c.CourseId.ToString(),
        Kind = c.Kind.ToString(),
        StartedAt = c.StartedAt,
        DurationMinutes = c.DurationMinutes,
        Place = c.Place.ToString(),
        WorkersJson = JsonSerializer.Serialize(c.Workers),
        NetworkMemberIdsJson = JsonSerializer.Serialize(c.NetworkMemberIds),
        FocusAreasJson = JsonSerializer.Serialize(c.FocusAreas.Select(f => f.ToString())),
        Note = c.Note,
        WithCitizen = c.IsWithCitizen,
        RecordedBy = c.RecordedBy,
        RecordedAt = c.RecordedAt,
    };

    public static Contact FromRecord(ContactRecord r) => new(
        Guid.Parse(r.ContactId),
        r.Revision,
        new CourseId(Guid.Parse(r.CourseId)),
        Enum.Parse<ContactKind>(r.Kind),
        r.StartedAt,
        r.DurationMinutes,
        Enum.Parse<ContactPlace>(r.Place),
        JsonSerializer.Deserialize<List<string>>(r.WorkersJson) ?? [],
        JsonSerializer.Deserialize<List<Guid>>(r.NetworkMemberIdsJson) ?? [],
        (JsonSerializer.Deserialize<List<string>>(r.FocusAreasJson) ?? []).Select(Enum.Parse<FocusArea>).ToList(),
        r.Note,
        r.RecordedBy,
        r.RecordedAt);
}
