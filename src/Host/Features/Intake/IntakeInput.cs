using System.Globalization;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Host.Infrastructure;

namespace Exit.Host.Features.Intake;

/// <summary>
/// Checks an enquiry and a decision as the API and the intake page send them (strings as typed), naming each bad field;
/// nothing is stored unless all is well.
/// </summary>
public static class IntakeInput
{
    public sealed record NewEnquiry(DateOnly ReceivedOn, EnquiryChannel Channel, bool Anonymous, string? Alias);

    public static NewEnquiry? ReadEnquiry(string? receivedOn, string? channel, bool anonymous, string? alias, DateOnly today, List<ValidationFailure> problems)
    {
        DateOnly date = default;
        if (string.IsNullOrWhiteSpace(receivedOn))
            problems.Add(new("receivedOn", "The date the enquiry was received is required (yyyy-MM-dd)."));
        else if (!DateOnly.TryParseExact(receivedOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            problems.Add(new("receivedOn", "A date written yyyy-MM-dd."));
        else if (date > today)
            problems.Add(new("receivedOn", "The date lies in the future."));
        else if (date.Year < 2000)
            problems.Add(new("receivedOn", "The date is before 2000."));

        var parsedChannel = Name<EnquiryChannel>(channel, "channel", problems);
        var cleanAlias = string.IsNullOrWhiteSpace(alias) ? null : alias.Trim();
        if (anonymous && cleanAlias is not null)
            problems.Add(new("alias", "An anonymous enquiry has no alias."));
        else if (cleanAlias is { Length: > IntakeRegister.MaxAliasLength })
            problems.Add(new("alias", $"At most {IntakeRegister.MaxAliasLength} characters."));
        return problems.Count > 0 || parsedChannel is null ? null : new NewEnquiry(date, parsedChannel.Value, anonymous, cleanAlias);
    }

    public static (EnquiryDecision Decision, Guid? CourseId)? ReadDecision(string? decision, string? courseId, List<ValidationFailure> problems)
    {
        var parsed = Name<EnquiryDecision>(decision, "decision", problems);
        Guid? course = null;
        if (!string.IsNullOrWhiteSpace(courseId))
        {
            if (!Guid.TryParse(courseId.Trim(), out var id)) problems.Add(new("courseId", "Not a course id."));
            else if (parsed is not null and not EnquiryDecision.CourseOffered) problems.Add(new("courseId", "Only an enquiry that led to a course names one."));
            else course = id;
        }

        return problems.Count > 0 || parsed is null ? null : (parsed.Value, course);
    }

    private static T? Name<T>(string? text, string field, List<ValidationFailure> problems) where T : struct, Enum
    {
        if (!string.IsNullOrWhiteSpace(text) && !int.TryParse(text, out _) && Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value))
            return value;
        problems.Add(new(field, $"{(string.IsNullOrWhiteSpace(text) ? "Required" : "Unknown value")}; one of: {string.Join(", ", Enum.GetNames<T>())}."));
        return null;
    }
}
