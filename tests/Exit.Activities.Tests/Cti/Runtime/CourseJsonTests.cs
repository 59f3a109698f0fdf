using Exit.Activities.Cti.Activities;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;

namespace Exit.Activities.Tests.Cti.Runtime;

public sealed class CourseJsonTests
{
    [Fact]
    public void CourseState_RoundTripsThroughJson_WithEveryPart()
    {
        var start = new DateTimeOffset(2026, 1, 31, 9, 0, 0, TimeSpan.FromHours(1));
        var course = Course.Start(new CourseId(Guid.Parse("0194f3c2-0000-7000-8000-000000000001")), new CitizenId(Guid.Parse("0194f3c2-0000-7000-8000-000000000002")),
            new WorkerId("anna"), CourseGoal.ImproveLifeSituation, start, CoursePlanSettings.ThreeByThree);
        course.StartPhase(CoursePeriod.Phase1, start.AddDays(20));
        course.SetFocusAreas(CoursePeriod.Phase1, [FocusArea.Housing, FocusArea.Economy, FocusArea.MentalHealth]);
        course.AddActivity(Guid.Parse("0194f3c2-0000-7000-8000-000000000003"), "Apply for housing", FocusArea.Housing, CoursePeriod.Phase1);
        var member = course.AddNetworkMember(Guid.Parse("0194f3c2-0000-7000-8000-000000000004"), NetworkRole.Caseworker, "N", "Kommune", null);
        course.DesignateHandoverRecipient(member.Id);
        course.Pause(PauseReason.Prison, start.AddDays(30));
        course.Resume(start.AddDays(40));
        course.ReassignWorker(new WorkerId("bo"), start.AddDays(41), "leave");

        var json = CourseJson.Serialize(course.ToState());
        var back = Course.Restore(CourseJson.Deserialize(json));

        Assert.Equal(json, CourseJson.Serialize(back.ToState()));
        Assert.Equal(course.Schedule.End, back.Schedule.End);
        Assert.Equal(3, back.Settings.PhaseLengthMonths);
        Assert.Equal("bo", back.ResponsibleWorkerId.Value);
        Assert.Equal(3, back.FocusAreas[CoursePeriod.Phase1].Areas.Count);
    }

    [Fact]
    public void EvaluationData_ComputesScoresAndRejectsBadAnswers()
    {
        var data = System.Text.Json.Nodes.JsonNode.Parse("""{"who5":[5,4,3,2,1],"paidForSex":"once","lifeSituation":[1,2,3,4,5,6,7,8,9,10]}""");
        var e = EvaluationData.Parse(data, new CourseId(Guid.Empty), EvaluationKind.Final, DateTimeOffset.UnixEpoch);
        Assert.Equal(60, e.Who5!.Score);
        Assert.True(e.PaidForSex!.Paid);
        Assert.Equal(55, e.LifeSituation!.Total);
        Assert.Equal(60, EvaluationData.ToData(e)["who5Score"]!.GetValue<int>());

        Assert.Equal(CtiRules.Who5ItemRange, Assert.Throws<CtiRuleViolation>(() =>
            EvaluationData.Parse(System.Text.Json.Nodes.JsonNode.Parse("""{"who5":[6,4,3,2,1]}"""), new CourseId(Guid.Empty), EvaluationKind.Final, DateTimeOffset.UnixEpoch)).Rule);
        Assert.Equal(CtiRules.EvaluationEmpty, Assert.Throws<CtiRuleViolation>(() =>
            EvaluationData.Parse(new System.Text.Json.Nodes.JsonObject(), new CourseId(Guid.Empty), EvaluationKind.Final, DateTimeOffset.UnixEpoch)).Rule);
        Assert.Equal(CtiRules.PaidForSexFrequency, Assert.Throws<CtiRuleViolation>(() =>
            EvaluationData.Parse(System.Text.Json.Nodes.JsonNode.Parse("""{"paidForSex":"sometimes"}"""), new CourseId(Guid.Empty), EvaluationKind.Final, DateTimeOffset.UnixEpoch)).Rule);
    }
}
