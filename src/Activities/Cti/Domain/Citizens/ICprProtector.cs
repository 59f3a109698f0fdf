namespace Exit.Activities.Cti.Domain;

/// <summary>
/// Turns a CPR number into an opaque string that is safe to store, and back. CPR numbers are only ever
/// persisted in protected form; implementations must be authenticated (tampering is detected).
/// </summary>
public interface ICprProtector
{
    string Protect(CprNumber cpr);

    CprNumber Unprotect(string protectedCpr);
}
