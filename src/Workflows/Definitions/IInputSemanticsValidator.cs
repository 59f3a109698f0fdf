namespace Exit.Workflows.Definitions;

/// <summary>
/// Checks literal values whose meaning is more than their type: durations (Delay, Timer) and cron
/// expressions (Cron). Each method returns a sentence saying what is wrong with the text, or null when it is
/// fine. The sentence is appended to "Input 'x' of activity 'y' (…): ", so it should quote the value.
/// </summary>
public interface IInputSemanticsValidator
{
    string? ValidateDuration(string text);
    string? ValidateCron(string text);
}
