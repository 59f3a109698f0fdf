namespace Exit.Activities.Cti.Domain;

/// <summary>
/// Raised when a request breaks a rule of the CTI method or of the domain's own input rules.
/// <see cref="Rule"/> is a stable code (see <see cref="CtiRules"/>) so the API can map it to a
/// problem type and the UI can explain it in Danish; the message is for logs and developers.
/// </summary>
public sealed class CtiRuleViolation : Exception
{
    public CtiRuleViolation(string rule, string message)
        : base(message)
    {
        Rule = rule;
    }

    public string Rule { get; }
}
