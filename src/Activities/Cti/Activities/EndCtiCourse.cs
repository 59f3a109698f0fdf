using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Workflows.Execution;
using Microsoft.Extensions.Logging;

namespace Exit.Activities.Cti.Activities;

/// <summary>
/// <c>Exit.EndCtiCourse</c>: the course's end. Completes the course if phase 3 has not already done so and cancels
/// every task of the course still open (supervision not yet held, unrecorded evaluations, handover leftovers), in the
/// same commit, so nothing is left in anyone's list for a course that is over. Place it just before the End.
/// </summary>
public sealed class EndCtiCourse(ILogger<EndCtiCourse> logger) : IActivity
{
    public const string TypeName = "Exit.EndCtiCourse";

    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = TypeName,
        Category = CtiWorkflow.Category,
        DisplayName = "End CTI course",
        Description = "Completes the course (if phase 3 has not) and cancels the course's open tasks. Place it before the End.",
        Ports = ["Done"],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        var course = CtiWorkflow.LoadCourse(context);
        if (!course.IsEnded)
        {
            course.Complete(context.Now); // only from phase 3: the domain refuses anything else
            CtiWorkflow.SaveCourse(context, course);
        }

        context.AddEffect(new CtiTasksCancelled(context.WorkflowInstanceId, null, context.Now));
        logger.LogInformation("Course {CourseId} ended ({Status})", course.Id, course.Status);
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
