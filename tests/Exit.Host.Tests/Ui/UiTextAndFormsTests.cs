using System.Globalization;
using System.Text.RegularExpressions;
using Exit.Activities.Cti.Activities;
using Exit.Activities.Cti.Domain;
using Exit.Host.Ui;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Exit.Host.Tests.Ui;

/// <summary>Which form each task kind gets, what a posted form becomes, and that every text the pages use exists in both languages.</summary>
public sealed class UiTextAndFormsTests
{
    [Theory]
    [InlineData(CtiTaskKinds.FirstContactMeeting, TaskForm.MeetingNote)]
    [InlineData(CtiTaskKinds.ContactMeeting, TaskForm.MeetingNote)]
    [InlineData(CtiTaskKinds.FollowUp, TaskForm.MeetingNote)]
    [InlineData(CtiTaskKinds.NetworkMeeting, TaskForm.MeetingNote)]
    [InlineData(CtiTaskKinds.ClosingMeeting, TaskForm.MeetingNote)]
    [InlineData(CtiTaskKinds.ActivityPlanDraft, TaskForm.ActivityPlan)]
    [InlineData(CtiTaskKinds.PhaseReview, TaskForm.ActivityPlan)]
    [InlineData(CtiTaskKinds.BaselineEvaluation, TaskForm.Evaluation)]
    [InlineData(CtiTaskKinds.PhaseChangeEvaluation, TaskForm.Evaluation)]
    [InlineData(CtiTaskKinds.FinalEvaluation, TaskForm.Evaluation)]
    [InlineData(CtiTaskKinds.LongTermPlan, TaskForm.Handover)]
    [InlineData(CtiTaskKinds.NetworkAgreement, TaskForm.Handover)]
    [InlineData(CtiTaskKinds.Supervision, TaskForm.Supervision)]
    [InlineData("something-else", TaskForm.Generic)]
    [InlineData(null, TaskForm.Generic)]
    public void For_TaskKind_PicksTheForm(string? kind, TaskForm form) => Assert.Equal(form, TaskForms.For(kind));

    [Fact]
    public void Read_Evaluation_AnswersOnly_AndAllTenLifeAreasOrNone()
    {
        var fields = new Dictionary<string, StringValues>
        {
            ["who5_0"] = "3", ["who5_1"] = "4", ["who5_2"] = "2", ["who5_3"] = "3", ["who5_4"] = "3",
            ["paidForSex"] = "Several", ["life_MentalHealth"] = "4",
        };
        var problems = new List<string>();

        var data = TaskForms.Read(TaskForm.Evaluation, CtiTaskKinds.BaselineEvaluation, new FormCollection(fields), "Recorded", problems);

        Assert.Equal("[3,4,2,3,3]", data["who5"]!.ToJsonString());
        Assert.Equal("Several", data["paidForSex"]!.GetValue<string>());
        Assert.Null(data["who5Score"]); // the system computes scores
        Assert.Equal(["form.lifeSituation.allOrNone"], problems);
    }

    [Fact]
    public void Read_Declined_NeedsNoAnswers()
    {
        var problems = new List<string>();
        TaskForms.Read(TaskForm.Evaluation, CtiTaskKinds.BaselineEvaluation, new FormCollection([]), "Declined", problems);
        Assert.Empty(problems);
    }

    [Fact]
    public void Read_IncompleteWho5_IsAProblem()
    {
        var problems = new List<string>();
        TaskForms.Read(TaskForm.Evaluation, CtiTaskKinds.BaselineEvaluation, new FormCollection(new() { ["who5_0"] = "3" }), "Recorded", problems);
        Assert.Contains("form.who5.answerAll", problems);
    }

    [Fact]
    public void Read_NetworkAgreement_RequiresTheReceivingActor()
    {
        var problems = new List<string>();
        TaskForms.Read(TaskForm.Handover, CtiTaskKinds.NetworkAgreement, new FormCollection([]), "Done", problems);
        Assert.Equal(["form.receivingActorRequired"], problems);
    }

    [Theory]
    [InlineData("cti.contact-meeting", "Contact meeting (Phase2)", "Kontaktmøde – Fase 2: afprøvning og tilpasning")]
    [InlineData("cti.contact-meeting.first", "First meeting with the citizen", "Første kontaktmøde")]
    [InlineData("cti.handover.network-meeting", "Network meeting 2", "Netværksmøde 2")]
    [InlineData("cti.phase-review", "Phase review (Phase3)", "Fokusområder og plan for fase 3")]
    [InlineData(null, "Gennemgå sagen", "Gennemgå sagen")] // a definition's own title is shown as written
    public void TaskTitle_InDanish_NoCodeNames(string? kind, string stored, string shown)
    {
        CultureInfo.CurrentUICulture = new CultureInfo("da-DK");
        Assert.Equal(shown, new UiText().TaskTitle(kind, stored));
    }

    [Theory]
    [InlineData("da-DK", "Næste kontakt senest 14. januar 2026", "Næste kontakt senest 14. januar 2026")]
    [InlineData("en-GB", "Næste kontakt senest 14. januar 2026", "Next contact")] // not "Next contact 2026": the year is no number of the task
    public void TaskTitle_NextContact_DanishAsWritten_EnglishTheLabel(string culture, string stored, string shown)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        Assert.Equal(shown, new UiText().TaskTitle("cti.next-contact", stored));
    }

    [Fact]
    public void TaskInstructions_TheWorkflowsEnglishSentencesAreTranslated_ACoordinatorsTextIsKept()
    {
        CultureInfo.CurrentUICulture = new CultureInfo("da-DK");
        var text = new UiText();
        Assert.Equal("Afslutningsmøde med borgeren.", text.TaskInstructions("cti.handover.closing-meeting", "Closing meeting with the citizen."));
        Assert.Equal("Husk tolk. Udfyld WHO-5, betaling for sex den seneste måned og de ti livsområder sammen med borgeren.",
            text.TaskInstructions("cti.evaluation.baseline", "Husk tolk. Fill in WHO-5, paid for sex within the last month, and the ten life-situation areas together with the citizen."));
        Assert.Equal("Supervision for: anna, bo.", text.TaskInstructions("cti.supervision", "Supervision for: anna, bo (course 123, worker anna)."));
        Assert.Equal("Ring til borgeren", text.TaskInstructions(null, "Ring til borgeren"));
    }

    [Fact]
    public void Texts_EveryKeyThePagesUse_ExistsInDanishAndEnglish()
    {
        var pages = Path.Combine(RepositoryRoot(), "src", "Host", "Ui");
        var keys = Directory.EnumerateFiles(pages, "*.cs*", SearchOption.AllDirectories)
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "T(?:ext)?(?:\\[|\\.Format\\()\"([a-zA-Z0-9.\\-]+)\"\\s*(?:\\]|,|\\))").Select(m => m.Groups[1].Value))
            .Concat(Enum.GetNames<LifeArea>().Select(n => "area." + n))
            .Concat(Enum.GetNames<FocusArea>().Select(n => "focus." + n))
            .Concat(Enum.GetNames<SexSaleFrequency>().Select(n => "paid." + n))
            .Concat(Enum.GetNames<PauseReason>().Select(n => "pause." + n))
            .Concat(Enum.GetNames<CourseGoal>().Select(n => "goal." + n))
            .Concat(Enum.GetNames<CourseStatus>().Select(n => "status." + n))
            .Concat(Enum.GetNames<CoursePeriod>().Select(n => "period." + n))
            .Concat(Enum.GetNames<TimelineStepKind>().Select(n => "step." + n))
            .Concat(Enum.GetNames<Who5Band>().Select(n => "who5." + n))
            .Concat(Exit.Host.Ui.Pages.Manager.OverdueModel.KnownKinds.Select(k => "kind." + k))
            .Concat(Exit.Host.Ui.Pages.Worker.TasksModel.KindGroups.Select(g => "group." + g))
            .Concat(TaskForms.FirstMeetingChecks.Select(c => "form." + c))
            .Concat(Enumerable.Range(1, 5).Select(i => "form.who5." + i))
            .Concat(Enum.GetNames<NetworkRole>().Select(n => "networkRole." + n))
            .Concat(Enum.GetNames<NetworkMemberStatus>().Select(n => "networkStatus." + n))
            .Concat(Enum.GetNames<ActivityStatus>().Select(n => "activityStatus." + n))
            .Concat(Enum.GetNames<EnquiryChannel>().Select(n => "channel." + n))
            .Concat(Enum.GetNames<EnquiryDecision>().Append("Pending").Select(n => "decision." + n))
            .Concat(new[] { typeof(AgeBand), typeof(Gender), typeof(ProstitutionForm), typeof(MainIncome), typeof(YesNo) }
                .SelectMany(t => Enum.GetNames(t).Select(n => $"descriptor.{t.Name}.{n}")))
            .Concat(new[] { "ageBand", "gender", "prostitutionForm", "mainIncome", "debt", "mentalHealth", "substanceUse", "interpreterNeeded" }
                .SelectMany(f => new[] { "descriptors." + f, "descriptors." + f + ".help" }))
            .Concat(new[] { "id", "kind", "actor", "contactPerson", "contact", "roleInPlan", "focusAreas", "status" }.Select(f => "network.field." + f))
            .Concat(new[] { "receivedOn", "channel", "alias", "decision", "courseId", "enquiryId" }.Select(f => "intake.invalid." + f))
            .Concat(Exit.Host.Infrastructure.Auth.ExitRoles.All.Select(r => "role." + r))
            .Distinct().ToList();
        Assert.True(keys.Count > 100, $"only {keys.Count} keys found");
        var text = new UiText();
        var missing = new List<string>();
        foreach (var culture in new[] { "da-DK", "en-GB" })
        {
            CultureInfo.CurrentUICulture = new CultureInfo(culture);
            missing.AddRange(keys.Where(k => text[k] == k).Select(k => $"{culture}: {k}"));
        }

        CultureInfo.CurrentUICulture = new CultureInfo("da-DK");
        var danish = text["tasks.title"];
        CultureInfo.CurrentUICulture = new CultureInfo("en-GB");
        Assert.Equal("My tasks", text["tasks.title"]);
        Assert.Equal("Mine opgaver", danish);
        Assert.Empty(missing);
    }

    [Fact]
    public void Rule_KnownCode_IsTranslated_UnknownFallsBackToTheDomainMessage()
    {
        CultureInfo.CurrentUICulture = new CultureInfo("da-DK");
        var text = new UiText();
        Assert.StartsWith("Faserne gennemløbes i rækkefølge", text.Rule(new CtiRuleViolation(CtiRules.PhasesInOrder, "Cannot close Phase2")), StringComparison.Ordinal);
        Assert.Equal("as the domain says", text.Rule(new CtiRuleViolation("cti.something.new", "as the domain says")));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Exit.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Exit.sln not found above the test output.");
    }
}
