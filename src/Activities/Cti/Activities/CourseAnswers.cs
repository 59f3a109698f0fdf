using System.Text.Json.Nodes;
using Exit.Activities.Cti.Domain;

namespace Exit.Activities.Cti.Activities;

/// <summary>
/// What a completed activity-plan or handover task says about the course, written into the course itself, so the
/// plan, the focus areas and the receiving actor are facts of the course (timeline, later phases, reports) rather
/// than text in a closed task. The answers come from a form or straight from the task API: anything that does not
/// fit the method's rules is left out and named in <see cref="Applied.Skipped"/>, never a reason to fault the course.
/// </summary>
internal static class CourseAnswers
{
    public sealed record Applied(bool Changed, IReadOnlyList<string> Skipped);

    /// <summary>
    /// Activity plan drafted (phase 1) or evaluated and adjusted (phase 2): <c>focusAreas</c> (3–5 names of
    /// <see cref="FocusArea"/>) become the period's focus areas; each <c>activities[]</c> item with a <c>text</c>
    /// becomes a planned activity of the period, under its <c>focusArea</c> (or the first chosen area).
    /// </summary>
    public static Applied ActivityPlan(Course course, CoursePeriod period, JsonNode? data, Func<Guid> newId)
    {
        var skipped = new List<string>();
        var changed = false;
        if (data is not JsonObject answers || course.IsEnded) return new(false, skipped);

        var areas = Names<FocusArea>(answers["focusAreas"], skipped, "focusAreas");
        if (areas.Count > 0 && Try(() => course.SetFocusAreas(period, areas), skipped, "focusAreas")) changed = true;

        var fallbackArea = course.FocusAreas.TryGetValue(period, out var chosen) ? chosen.Areas[0] : (FocusArea?)null;
        if (answers["activities"] is JsonArray activities)
        {
            var index = 0;
            foreach (var item in activities)
            {
                var at = $"activities[{index++}]";
                var text = Text(item?["text"]);
                if (text is null) continue;
                var area = Name<FocusArea>(item?["focusArea"]) ?? fallbackArea;
                if (area is null)
                {
                    skipped.Add($"{at}.focusArea");
                    continue;
                }

                if (Try(() => course.AddActivity(newId(), text, area.Value, period), skipped, at)) changed = true;
            }
        }

        // The phase review marks activities done or dropped (or back in progress): activityStatus { id: status }.
        if (answers["activityStatus"] is JsonObject statuses)
        {
            foreach (var (key, value) in statuses)
            {
                var status = Name<ActivityStatus>(value);
                if (!Guid.TryParse(key, out var activityId) || status is null || course.Activities.All(a => a.Id != activityId))
                {
                    skipped.Add($"activityStatus.{key}");
                    continue;
                }

                if (course.Activities.First(a => a.Id == activityId).Status != status
                    && Try(() => course.SetActivityStatus(activityId, status.Value), skipped, $"activityStatus.{key}"))
                    changed = true;
            }
        }

        return new(changed, skipped);
    }

    /// <summary>
    /// Handover agreed with the network: <c>receivingActor</c> (organisation or role) joins the support network, or is
    /// found there by organisation or name, and becomes the course's handover recipient; <c>receivingContact</c> is kept
    /// as the member's contact.
    /// </summary>
    public static Applied HandoverAgreement(Course course, JsonNode? data, Func<Guid> newId)
    {
        var skipped = new List<string>();
        if (data is not JsonObject answers || course.IsEnded) return new(false, skipped);
        // Chosen from the network (the form offers its members): that member becomes the recipient.
        if (Text(answers["receivingMemberId"]) is { } chosen)
        {
            if (Guid.TryParse(chosen, out var memberId) && course.Network.Any(m => m.Id == memberId))
            {
                if (course.HandoverRecipientId == memberId) return new(false, skipped);
                return new(Try(() => course.DesignateHandoverRecipient(memberId), skipped, "receivingMemberId"), skipped);
            }

            skipped.Add("receivingMemberId");
        }

        var actor = Text(answers["receivingActor"]);
        if (actor is null) return new(false, skipped);

        var member = course.Network.FirstOrDefault(m =>
            string.Equals(m.Organisation, actor, StringComparison.OrdinalIgnoreCase) || string.Equals(m.Name, actor, StringComparison.OrdinalIgnoreCase));
        var changed = false;
        if (member is null && Try(() => member = course.AddNetworkMember(newId(), NetworkRole.Other, null, actor, Text(answers["receivingContact"])), skipped, "receivingActor"))
            changed = true;
        if (member is not null && course.HandoverRecipientId != member.Id && Try(() => course.DesignateHandoverRecipient(member.Id), skipped, "receivingActor"))
            changed = true;
        return new(changed, skipped);
    }

    private static bool Try(Action change, List<string> skipped, string field)
    {
        try
        {
            change();
            return true;
        }
        catch (CtiRuleViolation violation)
        {
            skipped.Add($"{field} ({violation.Rule})");
            return false;
        }
    }

    private static List<TEnum> Names<TEnum>(JsonNode? node, List<string> skipped, string field) where TEnum : struct, Enum
    {
        var names = new List<TEnum>();
        if (node is not JsonArray array) return names;
        foreach (var item in array)
        {
            if (Name<TEnum>(item) is { } value) names.Add(value);
            else skipped.Add(field);
        }

        return names;
    }

    private static TEnum? Name<TEnum>(JsonNode? node) where TEnum : struct, Enum =>
        Text(node) is { } text && Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) ? value : null;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
