using Exit.Workflows.Definitions;

namespace Exit.Workflows.Calendar;

/// <summary>Publish-time checks of duration and cron inputs with the same parsers the timers use.</summary>
public sealed class SchedulingInputValidator : IInputSemanticsValidator
{
    public string? ValidateDuration(string text) =>
        WorkflowDuration.TryParse(text, DurationConstraint.NonNegative, out _, out var error) ? null : error;

    public string? ValidateCron(string text) =>
        CronSchedule.TryParse(text, out _, out var error) ? null : error;
}
