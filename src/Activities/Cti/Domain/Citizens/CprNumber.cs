using System.Globalization;

namespace Exit.Activities.Cti.Domain;

/// <summary>
/// A Danish CPR number (DDMMYY-SSSS). Only the format and the birth date are checked: the modulus-11
/// check was dropped in 2007, so valid numbers fail it. <see cref="ToString"/> is masked so a CPR number
/// never ends up in a log line by accident; use <see cref="Digits"/> deliberately.
/// </summary>
public sealed record CprNumber
{
    private CprNumber(string digits) => Digits = digits;

    /// <summary>The ten digits without the dash.</summary>
    public string Digits { get; }

    /// <summary>Accepts "DDMMYY-SSSS" or "DDMMYYSSSS", surrounding spaces ignored.</summary>
    public static CprNumber Parse(string text) =>
        TryParse(text, out var cpr)
            ? cpr
            : throw new CtiRuleViolation(CtiRules.CprFormat, "A CPR number must be DDMMYY-XXXX or 10 digits with a valid birth date.");

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CprNumber? cpr)
    {
        cpr = null;
        if (text is null)
        {
            return false;
        }

        var trimmed = text.Trim();
        var digits = trimmed.Length == 11 && trimmed[6] == '-' ? trimmed.Remove(6, 1) : trimmed;
        if (digits.Length != 10 || !digits.All(char.IsAsciiDigit) || !HasValidBirthDate(digits))
        {
            return false;
        }

        cpr = new CprNumber(digits);
        return true;
    }

    public override string ToString() => "******-****";

    // The seventh digit decides the century; checking against both 19xx and 20xx is enough to reject
    // impossible dates (31 April, 30 February) without encoding the century table.
    private static bool HasValidBirthDate(string digits)
    {
        var day = int.Parse(digits.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var month = int.Parse(digits.AsSpan(2, 2), CultureInfo.InvariantCulture);
        var year = int.Parse(digits.AsSpan(4, 2), CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || day < 1)
        {
            return false;
        }

        return day <= Math.Max(DateTime.DaysInMonth(1900 + year, month), DateTime.DaysInMonth(2000 + year, month));
    }
}
