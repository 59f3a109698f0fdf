using System.Text;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Infrastructure.WebSecurity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using static Exit.Host.Features.Account.LoginPage;

namespace Exit.Host.Features.Account.Mfa;

/// <summary>
/// <c>GET/POST /account/mfa</c>: the second sign-in step for a user whose two-factor sign-in is on. The password step
/// left Identity's short-lived two-factor cookie; this page takes the six-digit code from the authenticator app, or one
/// of the recovery codes (each works once). Wrong codes count towards the same lockout as wrong passwords, and the
/// page shares the sign-in rate limit per client address.
/// </summary>
public static class MfaSignInPage
{
    public const string Path = "/account/mfa";

    public sealed class CodeForm
    {
        public string? Code { get; set; }
        public string? ReturnUrl { get; set; }
    }

    public static IEndpointRouteBuilder MapMfaSignInPage(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).ExcludeFromDescription().AllowAnonymous();
        group.MapGet("/", async (HttpContext context, SignInManager<IdentityUser> signIn, IAntiforgery antiforgery, string? returnUrl) =>
            await signIn.GetTwoFactorAuthenticationUserAsync() is null
                ? Results.Redirect(ExitAuthentication.LoginPath)
                : Page(context, antiforgery, SafeReturnUrl(returnUrl), error: null));
        group.MapPost("/", VerifyAsync).RequireRateLimiting(SignInRateLimits.Policy);
        return app;
    }

    private static async Task<IResult> VerifyAsync(HttpContext context, [FromForm] CodeForm form, SignInManager<IdentityUser> signIn, IAntiforgery antiforgery,
        ILoggerFactory loggers)
    {
        var returnUrl = SafeReturnUrl(form.ReturnUrl);
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user) return Results.Redirect(ExitAuthentication.LoginPath);
        var typed = (form.Code ?? "").Trim();
        if (typed.Length == 0) return Page(context, antiforgery, returnUrl, "Skriv koden. / Enter the code.", StatusCodes.Status400BadRequest);

        // Six digits (spaces allowed) is a code from the app; anything else is tried as a recovery code.
        var code = MfaSetupPage.NormaliseCode(typed);
        var isAppCode = code.Length == 6 && code.All(char.IsAsciiDigit);
        var result = isAppCode
            ? await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(typed.Replace(" ", "", StringComparison.Ordinal));
        var logger = loggers.CreateLogger(typeof(MfaSignInPage).FullName!);
        if (result.Succeeded)
        {
            logger.LogInformation("Second sign-in step succeeded for user {UserId} ({Method})", user.Id, isAppCode ? "authenticator" : "recovery code");
            return Results.LocalRedirect(returnUrl ?? "/");
        }

        logger.LogWarning("Second sign-in step failed for user {UserId} (locked out {LockedOut})", user.Id, result.IsLockedOut);
        return Page(context, antiforgery, returnUrl,
            "Koden passer ikke, eller den er brugt. Efter 5 forkerte forsøg spærres kontoen i 15 minutter. " +
            "<span lang=\"en\">The code is wrong or used. After 5 wrong attempts the account is locked for 15 minutes.</span>", StatusCodes.Status401Unauthorized);
    }

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error, int status = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var body = new StringBuilder("<h1>Bekræft dit log ind <span lang=\"en\">/ Confirm your sign-in</span></h1>")
            .Append("<p>Skriv koden fra godkendelsesappen på din telefon, eller en af dine gendannelseskoder. ")
            .Append("<span lang=\"en\">Enter the code from your authenticator app, or one of your recovery codes.</span></p>");
        if (error is not null) body.Append("<p role=\"alert\" class=\"error\">").Append(error).Append("</p>");
        body.Append("<form method=\"post\" action=\"").Append(Path).Append("\">")
            .Append("<input type=\"hidden\" name=\"").Append(Encode(tokens.FormFieldName)).Append("\" value=\"").Append(Encode(tokens.RequestToken)).Append("\">")
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(Encode(returnUrl ?? "")).Append("\">")
            .Append("<p><label for=\"code\">Kode <span lang=\"en\">/ Code</span></label><br>")
            .Append("<input id=\"code\" name=\"code\" autocomplete=\"one-time-code\" maxlength=\"20\" required autofocus></p>")
            .Append("<p><button type=\"submit\">Bekræft <span lang=\"en\">/ Confirm</span></button></p></form>")
            .Append("<p><a href=\"").Append(ExitAuthentication.LoginPath).Append("\">Tilbage til log ind <span lang=\"en\">/ Back to sign-in</span></a></p>");
        return Html(status, "Bekræft log ind / Confirm sign-in", body.ToString());
    }
}
