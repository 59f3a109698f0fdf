using System.Globalization;

namespace Exit.Activities.SupportPersons.Domain;

/// <summary>One problem with a request, keyed by the field the client named.</summary>
public sealed record SupportPersonProblem(string Field, string Message);

/// <summary>Thrown with every problem of a request; nothing has been stored.</summary>
public sealed class SupportPersonValidationException(IReadOnlyList<SupportPersonProblem> problems)
    : Exception("The request is invalid: " + string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}")))
{
    public IReadOnlyList<SupportPersonProblem> Problems { get; } = problems;
}

/// <summary>Something named in a request that does not exist (or that the caller may not see).</summary>
public sealed class SupportPersonNotFoundException(string what, string id) : Exception($"{what} {id} was not found.");

/// <summary>An SKP's profile and agreement as the register form and the API send them (text as typed).</summary>
public sealed record SupportPersonInput(
    string? DisplayName,
    string? Team,
    IReadOnlyList<string>? Languages,
    string? AgreementStart,
    int? HoursPerWeek,
    string? AcuteAvailability,
    string? ConfidentialitySignedOn,
    string? Status,
    string? UserName);

/// <summary>A checked profile, ready to store.</summary>
public sealed record SupportPersonProfile(
    string DisplayName,
    string Team,
    IReadOnlyList<string> Languages,
    DateOnly AgreementStart,
    int HoursPerWeek,
    string AcuteAvailability,
    DateOnly? ConfidentialitySignedOn,
    SupportPersonStatus Status,
    string? UserName);

/// <summary>
/// Checks a profile: name or alias, team, agreement start, hours a week (the scheme's default is 3, at most 40), how she is
/// reached in acute situations, the confidentiality declaration's date (required before she is active: she hears what the
/// citizen tells no one else), a known status. Every problem is named by its field.
/// </summary>
public static class SupportPersonValidation
{
    public const int MaxText = 200;
    public const int DefaultHoursPerWeek = 3;

    public static SupportPersonProfile? Validate(SupportPersonInput input, DateOnly today, List<SupportPersonProblem> problems)
    {
        var name = Text(input.DisplayName, "displayName", required: true, problems);
        var team = Text(input.Team, "team", required: true, problems);
        var acute = Text(input.AcuteAvailability, "acuteAvailability", required: true, problems);
        var languages = (input.Languages ?? []).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (languages.Count > 20 || languages.Any(l => l.Length > 50))
            problems.Add(new("languages", "At most 20 languages of at most 50 characters."));
        var start = Date(input.AgreementStart, "agreementStart", required: true, problems);
        var signed = Date(input.ConfidentialitySignedOn, "confidentialitySignedOn", required: false, problems);
        if (signed is { } s && s > today) problems.Add(new("confidentialitySignedOn", "The declaration cannot be signed on a date that has not come yet."));
        var hours = input.HoursPerWeek ?? DefaultHoursPerWeek;
        if (hours is < 1 or > 40) problems.Add(new("hoursPerWeek", "Between 1 and 40 hours a week (the scheme's default is 3)."));
        SupportPersonStatus status = SupportPersonStatus.Active;
        if (!string.IsNullOrWhiteSpace(input.Status) && !TryName(input.Status, out status))
            problems.Add(new("status", $"Unknown status; one of: {string.Join(", ", Enum.GetNames<SupportPersonStatus>())}."));
        if (status == SupportPersonStatus.Active && signed is null && !problems.Any(p => p.Field == "confidentialitySignedOn"))
            problems.Add(new("confidentialitySignedOn", "An active support-and-contact person has signed the confidentiality declaration (date)."));
        var user = string.IsNullOrWhiteSpace(input.UserName) ? null : input.UserName.Trim();
        if (user is { Length: > MaxText }) problems.Add(new("userName", $"At most {MaxText} characters."));
        return problems.Count > 0 ? null
            : new SupportPersonProfile(name!, team!, languages, start!.Value, hours, acute!, signed, status, user);
    }

    public static bool TryName<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        return !string.IsNullOrWhiteSpace(text) && !int.TryParse(text, out _) && Enum.TryParse(text.Trim(), ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    public static DateOnly? Date(string? text, string field, bool required, List<SupportPersonProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required) problems.Add(new(field, "Required (yyyy-MM-dd)."));
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year >= 2000) return d;
        problems.Add(new(field, "A date written yyyy-MM-dd (from 2000)."));
        return null;
    }

    private static string? Text(string? text, string field, bool required, List<SupportPersonProblem> problems)
    {
        var t = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (t is null && required) problems.Add(new(field, "Required."));
        else if (t is { Length: > MaxText }) problems.Add(new(field, $"At most {MaxText} characters."));
        return t;
    }
}
