using Exit.Host.Infrastructure.Audit;
using Microsoft.AspNetCore.Identity;

namespace Exit.Host.Features.Account.Mfa;

/// <summary>
/// An admin resets a user's second factor (a lost phone): two-factor sign-in off, a new authenticator key (the old
/// app's codes stop working), recovery codes gone, the security stamp changed (open sessions end at their next
/// check). A user whose role needs MFA must enrol again at the next sign-in. Audited. Used by the API and the pages.
/// </summary>
public sealed class UserMfa(UserManager<IdentityUser> users, Exit.Host.Infrastructure.Tenancy.UserMunicipalities municipalities, IAuditLog audit, ILogger<UserMfa> logger)
{
    /// <summary>False when there is no such user in the admin's municipality.</summary>
    public async Task<bool> ResetAsync(string userId, CancellationToken ct)
    {
        if (await municipalities.FindInScopeAsync(userId, ct) is not { } user)
        {
            await audit.WriteAsync(new AuditRecord(AuditAction.Change, "user-mfa", userId, Purpose: "mfa-reset", Outcome: AuditOutcome.Denied), ct: ct);
            return false;
        }

        Check(await users.SetTwoFactorEnabledAsync(user, false));
        Check(await users.ResetAuthenticatorKeyAsync(user));
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        Check(await users.UpdateSecurityStampAsync(user));
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, "user-mfa", user.Id, Purpose: "mfa-reset"), ct: ct);
        logger.LogInformation("Two-factor sign-in reset for user {UserId}", user.Id);
        return true;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException("Identity refused the two-factor reset: " + string.Join(", ", result.Errors.Select(e => e.Code)));
    }
}
