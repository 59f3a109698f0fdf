using System.Globalization;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Activities;
using Exit.Activities.Cti.Domain;

namespace Exit.Host.Ui;

/// <summary>The form a task page shows, chosen by the task's <c>kind</c>.</summary>
public enum TaskForm { MeetingNote, ActivityPlan, Evaluation, Handover, Supervision, Generic }

/// <summary>
/// Task kind → form, and posted form fields → the task's completion data (answers only; the system computes
/// scores). Field names are stable: tests and assistive technology address them by label, the server by name.
/// </summary>
public static class TaskForms
{
    public const int ActivityRows = 3;

    public static TaskForm For(string? kind) => kind switch
    {
        CtiTaskKinds.FirstContactMeeting or CtiTaskKinds.ContactMeeting or CtiTaskKinds.FollowUp
            or CtiTaskKinds.NetworkMeeting or CtiTaskKinds.ClosingMeeting => TaskForm.MeetingNote,
        CtiTaskKinds.ActivityPlanDraft or CtiTaskKinds.PhaseReview => TaskForm.ActivityPlan,
        CtiTaskKinds.BaselineEvaluation or CtiTaskKinds.PhaseChangeEvaluation or CtiTaskKinds.FinalEvaluation => TaskForm.Evaluation,
        CtiTaskKinds.LongTermPlan or CtiTaskKinds.NetworkAgreement => TaskForm.Handover,
        CtiTaskKinds.Supervision => TaskForm.Supervision,
        _ => TaskForm.Generic,
    };

    /// <summary>Outcomes that record nothing (the form's content is not required for them).</summary>
    public static bool IsDecline(string outcome) => outcome is "Missed" or "Declined" or "Cancelled";

    public static readonly string[] FirstMeetingChecks = ["informedAboutCourse", "inTargetGroup", "motivated", "anonymityOffered"];

    /// <summary>Reads the posted fields for <paramref name="form"/>; adds problems (text keys) for what must be fixed.</summary>
    public static JsonObject Read(TaskForm form, string? kind, IFormCollection f, string outcome, List<string> problems)
    {
        var data = new JsonObject();
        var decline = IsDecline(outcome);
        switch (form)
        {
            case TaskForm.MeetingNote:
                Put(data, "heldOn", f["heldOn"]);
                Put(data, "place", f["place"]);
                Put(data, "note", f["note"]);
                Put(data, "nextMeeting", f["nextMeeting"]);
                if (kind == CtiTaskKinds.FirstContactMeeting)
                    foreach (var check in FirstMeetingChecks) data[check] = f[check].ToString() == "true";
                break;

            case TaskForm.ActivityPlan:
                var areas = f["focusAreas"].Where(a => Enum.TryParse<FocusArea>(a, out _)).Distinct().ToList();
                // 3–5 is the guide's guidance: outside it the course page warns; only an empty choice is refused.
                if (!decline && areas.Count == 0 && kind == CtiTaskKinds.ActivityPlanDraft) problems.Add("form.focusAreasCount");
                data["focusAreas"] = new JsonArray(areas.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray());
                // The phase review marks plan activities done or dropped: fields "status.{activityId}".
                var statuses = new JsonObject();
                foreach (var key in f.Keys.Where(k => k.StartsWith("status.", StringComparison.Ordinal)))
                    if (Guid.TryParse(key["status.".Length..], out var activityId) && Enum.TryParse<ActivityStatus>(f[key], out var st) && Enum.IsDefined(st))
                        statuses[activityId.ToString()] = st.ToString();
                if (statuses.Count > 0) data["activityStatus"] = statuses;
                var activities = new JsonArray();
                for (var i = 0; i < ActivityRows; i++)
                {
                    var text = f[$"activity{i}.text"].ToString().Trim();
                    if (text.Length == 0) continue;
                    var item = new JsonObject { ["text"] = text };
                    Put(item, "focusArea", f[$"activity{i}.area"]);
                    Put(item, "responsible", f[$"activity{i}.responsible"]);
                    Put(item, "date", f[$"activity{i}.date"]);
                    activities.Add(item);
                }

                data["activities"] = activities;
                Put(data, "evaluation", f["evaluation"]);
                break;

            case TaskForm.Evaluation:
                if (decline) break;
                var items = new int[Who5.ItemCount];
                var complete = true;
                for (var i = 0; i < Who5.ItemCount; i++)
                {
                    if (int.TryParse(f[$"who5_{i}"], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= Who5.MaxItem) items[i] = v;
                    else complete = false;
                }

                if (complete) data["who5"] = new JsonArray(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
                else problems.Add("form.who5.answerAll");
                if (Enum.TryParse<SexSaleFrequency>(f["paidForSex"], out var paid) && Enum.IsDefined(paid)) data["paidForSex"] = paid.ToString();
                var life = new JsonObject();
                foreach (var area in Enum.GetValues<LifeArea>())
                    if (int.TryParse(f[$"life_{area}"], NumberStyles.None, CultureInfo.InvariantCulture, out var step)) life[area.ToString()] = step;
                if (life.Count > 0) data["lifeSituation"] = life;
                if (life.Count is > 0 and < 10) problems.Add("form.lifeSituation.allOrNone");
                break;

            case TaskForm.Handover:
                Put(data, "receivingMemberId", f["receivingMemberId"]);
                Put(data, "receivingActor", f["receivingActor"]);
                Put(data, "receivingContact", f["receivingContact"]);
                Put(data, "agreementDate", f["agreementDate"]);
                Put(data, "networkPresent", f["networkPresent"]);
                Put(data, "longTermPlan", f["longTermPlan"]);
                if (!decline && kind == CtiTaskKinds.NetworkAgreement && data["receivingActor"] is null && data["receivingMemberId"] is null) problems.Add("form.receivingActorRequired");
                break;

            case TaskForm.Supervision:
                Put(data, "heldOn", f["heldOn"]);
                Put(data, "participants", f["participants"]);
                Put(data, "note", f["note"]);
                data["confidential"] = true;
                break;

            default:
                Put(data, "note", f["note"]);
                break;
        }

        return data;
    }

    private static void Put(JsonObject o, string name, Microsoft.Extensions.Primitives.StringValues value)
    {
        var s = value.ToString().Trim();
        if (s.Length > 0) o[name] = s.Length > 4000 ? s[..4000] : s;
    }
}
