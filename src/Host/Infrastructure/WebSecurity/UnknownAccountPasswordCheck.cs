using Microsoft.AspNetCore.Identity;

namespace Exit.Host.Infrastructure.WebSecurity;

/// <summary>
/// Runs the password hasher for a sign-in with an unknown e-mail, against a hash made once with the same hasher and
/// settings, so an unknown e-mail costs the same time as a known one with a wrong password. Scoped, as Identity's
/// hasher is; the reference hash is made once per process.
/// </summary>
public sealed class UnknownAccountPasswordCheck(IPasswordHasher<IdentityUser> hasher)
{
    private static readonly IdentityUser Nobody = new() { Id = "unknown-account", UserName = "unknown-account" };
    private static string? s_referenceHash;

    public void Check(string password)
    {
        var hash = s_referenceHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));
        hasher.VerifyHashedPassword(Nobody, hash, password);
    }
}
