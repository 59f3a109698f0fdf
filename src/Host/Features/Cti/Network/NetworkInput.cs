using System.Text.Json.Nodes;
using Exit.Activities.Cti.Domain;
using Exit.Host.Infrastructure;

namespace Exit.Host.Features.Cti.Network;

/// <summary>
/// Reads a network list as the API (JSON) and the course page (form rows turned into the same JSON) send it, naming
/// every problem by field (<c>members[2].kind</c>). Nothing is stored unless the whole list is valid.
/// Fields: <c>id</c> (optional, keeps a member), <c>kind</c>, <c>actor</c> (organisation or role), <c>contactPerson</c>,
/// <c>contact</c> (how to reach them), <c>roleInPlan</c>, <c>focusAreas</c>, <c>status</c> (planned, active, ended).
/// </summary>
public static class NetworkInput
{
    public static IReadOnlyList<SupportNetworkMember> Read(JsonNode? members, Func<Guid> newId, List<ValidationFailure> problems)
    {
        var result = new List<SupportNetworkMember>();
        if (members is not JsonArray array)
        {
            problems.Add(new("members", "A list of network members is required (an empty list removes them all)."));
            return result;
        }

        if (array.Count > SupportNetworkMember.MaxMembers)
            problems.Add(new("members", $"At most {SupportNetworkMember.MaxMembers} network members."));
        var ids = new HashSet<Guid>();
        for (var i = 0; i < array.Count; i++)
        {
            var at = $"members[{i}]";
            if (array[i] is not JsonObject m)
            {
                problems.Add(new(at, "Each member is an object."));
                continue;
            }

            var id = newId();
            if (m["id"] is { } idNode && Text(idNode, at + ".id", problems, 64) is { } idText)
            {
                if (!Guid.TryParse(idText, out id)) problems.Add(new(at + ".id", "Not an id."));
                else if (!ids.Add(id)) problems.Add(new(at + ".id", "The same member appears twice."));
            }

            var kind = Enum<NetworkRole>(m["kind"], at + ".kind", problems, required: true);
            var status = Enum<NetworkMemberStatus>(m["status"], at + ".status", problems, required: false) ?? NetworkMemberStatus.Active;
            var actor = Text(m["actor"], at + ".actor", problems, SupportNetworkMember.MaxTextLength);
            var person = Text(m["contactPerson"], at + ".contactPerson", problems, SupportNetworkMember.MaxTextLength);
            var contact = Text(m["contact"], at + ".contact", problems, SupportNetworkMember.MaxTextLength);
            var role = Text(m["roleInPlan"], at + ".roleInPlan", problems, SupportNetworkMember.MaxRoleInPlanLength);
            if (actor is null && person is null && !problems.Any(p => p.Field == at + ".actor" || p.Field == at + ".contactPerson"))
                problems.Add(new(at + ".actor", "Name the actor (organisation or role) or a contact person."));
            var areas = new List<FocusArea>();
            if (m["focusAreas"] is JsonArray focus)
            {
                for (var j = 0; j < focus.Count; j++)
                {
                    if (Enum<FocusArea>(focus[j], $"{at}.focusAreas[{j}]", problems, required: true) is { } area && !areas.Contains(area)) areas.Add(area);
                }
            }
            else if (m["focusAreas"] is not null)
            {
                problems.Add(new(at + ".focusAreas", $"A list of focus areas: {string.Join(", ", System.Enum.GetNames<FocusArea>())}."));
            }

            if (kind is { } k) result.Add(new SupportNetworkMember(id, k, person, actor, contact, role, areas.Count > 0 ? areas : null, status));
        }

        return result;
    }

    private static string? Text(JsonNode? node, string field, List<ValidationFailure> problems, int max)
    {
        if (node is null) return null;
        if (node is not JsonValue v || !v.TryGetValue<string>(out var text))
        {
            problems.Add(new(field, "Must be a string."));
            return null;
        }

        text = text.Trim();
        if (text.Length > max)
        {
            problems.Add(new(field, $"At most {max} characters."));
            return null;
        }

        return text.Length == 0 ? null : text;
    }

    private static TEnum? Enum<TEnum>(JsonNode? node, string field, List<ValidationFailure> problems, bool required) where TEnum : struct, Enum
    {
        var names = string.Join(", ", System.Enum.GetNames<TEnum>());
        if (node is null)
        {
            if (required) problems.Add(new(field, $"Required; one of: {names}."));
            return null;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var text) && !int.TryParse(text, out _)
            && System.Enum.TryParse<TEnum>(text.Trim(), ignoreCase: true, out var value) && System.Enum.IsDefined(value))
            return value;
        problems.Add(new(field, $"Unknown value; one of: {names}."));
        return null;
    }
}
