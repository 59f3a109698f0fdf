using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Workflows.Execution;

namespace Exit.Activities.Cti.Activities;

/// <summary>
/// <c>Exit.StartCtiCourse</c>: creates the course (id = the instance's correlation id) in its contact period
/// with the plan the coordinator configured: phase length, contact-period bound, handover lead time.
/// Every other CTI activity reads and changes this course. A course is created only when the CTI service started
/// the workflow (<see cref="CtiStartTickets"/>): it checked the citizen, the worker's caseload and who may start it.
/// </summary>
public sealed class StartCtiCourse(CtiStartTickets tickets) : IActivity
{
    public const string TypeName = "Exit.StartCtiCourse";

    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = TypeName,
        Category = CtiWorkflow.Category,
        DisplayName = "Start CTI course",
        StartsOnlyThrough = "POST /api/courses",
        Description = "Creates the CTI course for the citizen (contact period first) with the configured phase length. The course id is the workflow's correlation id.",
        Inputs =
        [
            new() { Name = "CitizenId", ClrType = typeof(string), TypeName = "String", IsRequired = true, Order = 0,
                DisplayName = "Citizen id", Description = "The citizen's id (usually getInput(\"citizenId\"))." },
            new() { Name = "Worker", ClrType = typeof(string), TypeName = "String", IsRequired = true, Order = 1,
                DisplayName = "Responsible worker", Description = "User id of the CTI worker who owns the course." },
            new() { Name = "Goal", ClrType = typeof(string), TypeName = "String", UiHint = "dropdown", Order = 2,
                DefaultValue = nameof(CourseGoal.Exit), Options = CtiWorkflow.OptionsOf<CourseGoal>(),
                DisplayName = "Goal", Description = "Exit prostitution, or improve the life situation." },
            new() { Name = "PhaseLengthMonths", ClrType = typeof(int), TypeName = "Int32", Order = 3,
                DefaultValue = CoursePlanSettings.Default.PhaseLengthMonths, Category = "Plan",
                DisplayName = "Phase length (months)", Description = "Length of each of the three phases in calendar months (Exit Prostitution: 4; 3 × 3 is also common)." },
            new() { Name = "ContactPeriodDays", ClrType = typeof(int), TypeName = "Int32", Order = 4,
                DefaultValue = CoursePlanSettings.Default.ContactPeriodDays, Category = "Plan",
                DisplayName = "Contact period bound (days)", Description = "Phase 1 starts at the latest this many days after the first meeting." },
            new() { Name = "HandoverLeadMonths", ClrType = typeof(int), TypeName = "Int32", Order = 5,
                DefaultValue = CoursePlanSettings.Default.HandoverLeadMonths, Category = "Plan",
                DisplayName = "Handover agreement lead (months)", Description = "The network agreement is due this many months before the course ends." },
        ],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        var courseId = CtiWorkflow.CourseIdOf(context);
        if (CtiWorkflow.TryLoadCourse(context) is { } existing && existing.Id == courseId)
            return ValueTask.FromResult(ActivityResult.Done);

        var citizen = context.GetInput<string>("CitizenId");
        if (!Guid.TryParse(citizen, out var citizenId))
            throw new InvalidOperationException("Input 'CitizenId' must be a citizen id (a GUID).");
        var worker = context.GetInput<string>("Worker");
        if (string.IsNullOrWhiteSpace(worker))
            throw new InvalidOperationException("Input 'Worker' is required.");
        if (!tickets.Allows(courseId, citizenId, worker.Trim()))
            throw new InvalidOperationException(
                "A CTI course starts only through the CTI service (POST /api/courses), which checks the citizen, the caseload and who may start it.");
        var goal = CtiWorkflow.ParseEnum(context.GetInput<string>("Goal"), CourseGoal.Exit, "Goal");
        var settings = CoursePlanSettings.Default with
        {
            PhaseLengthMonths = context.GetInput<int>("PhaseLengthMonths"),
            ContactPeriodDays = context.GetInput<int>("ContactPeriodDays"),
            HandoverLeadMonths = context.GetInput<int>("HandoverLeadMonths"),
        };
        var course = Course.Start(courseId, new CitizenId(citizenId), new WorkerId(worker.Trim()), goal, context.Now, settings);
        CtiWorkflow.SaveCourse(context, course);
        context.Log($"Course {courseId} started: {settings.PhaseLengthMonths}-month phases, ends {CtiWorkflow.Day(course.Schedule.End)}");
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
