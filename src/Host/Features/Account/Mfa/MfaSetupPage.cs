using System.Security.Claims;
using System.Text;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using static Exit.Host.Features.Account.LoginPage;

namespace Exit.Host.Features.Account.Mfa;

/// <summary>
/// <c>GET/POST /account/mfa/setup</c>: a signed-in user adds an authenticator app (TOTP, RFC 6238, through Identity's
/// authenticator-key support). The page shows the key and an <c>otpauth://</c> address to type or paste into the app;
/// two-factor sign-in is switched on only after a code from the app has been checked, and ten recovery codes are then
/// shown once (Identity stores them; each works once). Users whose role needs MFA are sent here after their password
/// until they have done this (<see cref="MfaRequirement"/>).
/// </summary>
public static class MfaSetupPage
{
    public const string Path = "/account/mfa/setup";
    public const string Issuer = "Exit";
    public const int RecoveryCodeCount = 10;

    public sealed class SetupForm
    {
        public string? Code { get; set; }
        public string? ReturnUrl { get; set; }
    }

    public static IEndpointRouteBuilder MapMfaSetupPage(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ShowAsync).ExcludeFromDescription().RequireAuthorization(ExitPolicies.Staff);
        app.MapPost(Path, ConfirmAsync).ExcludeFromDescription().RequireAuthorization(ExitPolicies.Staff);
        return app;
    }

    private static async Task<IResult> ShowAsync(HttpContext context, UserManager<IdentityUser> users, IAntiforgery antiforgery, string? returnUrl)
    {
        // API keys and bearer tokens act for a key or a session, not a person signing in.
        if (await users.GetUserAsync(context.User) is not { } user)
            return Html(StatusCodes.Status400BadRequest, "Totrinsbekræftelse", "<p>Kun for brugere, der er logget ind. <span lang=\"en\">Signed-in users only.</span></p>");
        return await PageAsync(context, users, antiforgery, user, SafeReturnUrl(returnUrl), error: null);
    }

    private static async Task<IResult> ConfirmAsync(HttpContext context, [FromForm] SetupForm form, SignInManager<IdentityUser> signIn, IAntiforgery antiforgery,
        IAuditLog audit, ILoggerFactory loggers)
    {
        var users = signIn.UserManager;
        if (await users.GetUserAsync(context.User) is not { } user)
            return Html(StatusCodes.Status400BadRequest, "Totrinsbekræftelse", "<p>Kun for brugere, der er logget ind. <span lang=\"en\">Signed-in users only.</span></p>");
        var returnUrl = SafeReturnUrl(form.ReturnUrl);
        var code = NormaliseCode(form.Code);
        if (code.Length == 0 || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
            return await PageAsync(context, users, antiforgery, user, returnUrl,
                "Koden passer ikke. Tjek at telefonens ur går rigtigt, og skriv den kode appen viser nu. " +
                "<span lang=\"en\">The code is wrong. Check the phone's clock and enter the current code.</span>", StatusCodes.Status400BadRequest);

        Check(await users.SetTwoFactorEnabledAsync(user, true));
        var recoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        // Enabling changed the security stamp; the new session carries the proof of the second factor.
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(MfaRequirement.AmrClaim, MfaRequirement.AmrMfa)]);
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, "user-mfa", user.Id, Purpose: "mfa-enrolled"), context.User);
        loggers.CreateLogger(typeof(MfaSetupPage).FullName!).LogInformation("Two-factor sign-in enabled for user {UserId}", user.Id);
        return RecoveryCodesPage(recoveryCodes, returnUrl);
    }

    private static async Task<IResult> PageAsync(HttpContext context, UserManager<IdentityUser> users, IAntiforgery antiforgery, IdentityUser user,
        string? returnUrl, string? error, int status = StatusCodes.Status200OK)
    {
        var body = new StringBuilder("<h1>Totrinsbekræftelse <span lang=\"en\">/ Two-step sign-in</span></h1>");
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            body.Append("<p>Totrinsbekræftelse er slået til for din konto. Har du mistet telefonen, så brug en gendannelseskode, ")
                .Append("og bed en administrator om at nulstille den. <span lang=\"en\">Two-step sign-in is on for your account.</span></p>")
                .Append("<p><a href=\"").Append(Encode(returnUrl ?? "/")).Append("\">Fortsæt <span lang=\"en\">/ Continue</span></a></p>");
            return Html(status, "Totrinsbekræftelse", body.ToString());
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            Check(await users.ResetAuthenticatorKeyAsync(user));
            key = await users.GetAuthenticatorKeyAsync(user) ?? "";
        }

        if (MfaRequirementFor(context).IsRequiredFor(context.User))
            body.Append("<p>Din rolle logger ind med en kode fra en godkendelsesapp ud over adgangskoden. Sæt det op, før du fortsætter. ")
                .Append("<span lang=\"en\">Your role signs in with a code from an authenticator app as well as the password. Set it up to continue.</span></p>");
        if (error is not null) body.Append("<p role=\"alert\" class=\"error\">").Append(error).Append("</p>");
        body.Append("<ol><li>Åbn en godkendelsesapp på telefonen (fx Microsoft Authenticator eller Google Authenticator), og tilføj en konto med denne nøgle: ")
            .Append("<p><code data-testid=\"authenticator-key\">").Append(Encode(FormatKey(key))).Append("</code></p>")
            .Append("eller med adressen <code data-testid=\"authenticator-uri\">").Append(Encode(AuthenticatorUri(user.Email ?? user.UserName ?? user.Id, key))).Append("</code></li>")
            .Append("<li>Skriv den sekscifrede kode, appen viser. <span lang=\"en\">Enter the six-digit code the app shows.</span></li></ol>");
        var tokens = antiforgery.GetAndStoreTokens(context);
        body.Append("<form method=\"post\" action=\"").Append(Path).Append("\">")
            .Append("<input type=\"hidden\" name=\"").Append(Encode(tokens.FormFieldName)).Append("\" value=\"").Append(Encode(tokens.RequestToken)).Append("\">")
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(Encode(returnUrl ?? "")).Append("\">")
            .Append("<p><label for=\"code\">Kode <span lang=\"en\">/ Code</span></label><br>")
            .Append("<input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"7\" required autofocus></p>")
            .Append("<p><button type=\"submit\">Slå totrinsbekræftelse til <span lang=\"en\">/ Turn on</span></button></p></form>")
            .Append("<form method=\"post\" action=\"").Append(ExitAuthentication.LogoutPath).Append("\">")
            .Append("<input type=\"hidden\" name=\"").Append(Encode(tokens.FormFieldName)).Append("\" value=\"").Append(Encode(tokens.RequestToken)).Append("\">")
            .Append("<button type=\"submit\">Log ud <span lang=\"en\">/ Sign out</span></button></form>");
        return Html(status, "Totrinsbekræftelse", body.ToString());
    }

    private static IResult RecoveryCodesPage(IReadOnlyList<string> codes, string? returnUrl)
    {
        var body = new StringBuilder("<h1>Totrinsbekræftelse er slået til <span lang=\"en\">/ Two-step sign-in is on</span></h1>")
            .Append("<p>Gem disse gendannelseskoder et sikkert sted. De vises kun nu. Hver kode kan bruges én gang i stedet for koden fra appen, ")
            .Append("hvis du mister telefonen. <span lang=\"en\">Keep these recovery codes safe; they are shown only now, and each works once.</span></p>")
            .Append("<ul data-testid=\"recovery-codes\">");
        foreach (var code in codes) body.Append("<li><code>").Append(Encode(code)).Append("</code></li>");
        body.Append("</ul><p><a href=\"").Append(Encode(returnUrl ?? "/")).Append("\">Fortsæt <span lang=\"en\">/ Continue</span></a></p>");
        return Html(StatusCodes.Status200OK, "Gendannelseskoder", body.ToString());
    }

    /// <summary>The key URI authenticator apps read (Google's key-uri format): issuer, account, base32 secret, 6 digits, 30 s.</summary>
    public static string AuthenticatorUri(string account, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(account)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";

    /// <summary>"ABCD EFGH …": easier to type.</summary>
    private static string FormatKey(string key) =>
        string.Join(' ', Enumerable.Range(0, (key.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - i * 4)))).ToLowerInvariant();

    /// <summary>Apps show "123 456"; spaces and hyphens are not part of the code.</summary>
    public static string NormaliseCode(string? code) => (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();

    private static MfaRequirement MfaRequirementFor(HttpContext context) => context.RequestServices.GetRequiredService<MfaRequirement>();

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException("Identity refused the two-factor change: " + string.Join(", ", result.Errors.Select(e => e.Code)));
    }
}
