using System.Net;
using System.Text;
using Exit.Host.Features.Account.Mfa;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Infrastructure.WebSecurity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Exit.Host.Features.Account;

/// <summary>
/// The sign-in page (<c>GET/POST /account/login</c>), sign-out (<c>POST /account/logout</c>) and the access-denied
/// page: server-rendered HTML, no script, a form with labels and an antiforgery token. Danish first, English
/// beside it. Failure messages never say whether the e-mail exists.
/// </summary>
public static class LoginPage
{
    /// <summary>The UI's stylesheet, served without sign-in (<see cref="Exit.Host.Ui.UiStylesheets"/>).</summary>
    public const string Stylesheet = "/css/exit.css";

    public sealed class LoginForm
    {
        public string? Email { get; set; }
        public string? Password { get; set; }
        public string? ReturnUrl { get; set; }
    }

    public static IEndpointRouteBuilder MapAccountPages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account").ExcludeFromDescription().AllowAnonymous();
        group.MapGet("/login", (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            Page(context, antiforgery, returnUrl, error: null));
        group.MapPost("/login", SignIn).RequireRateLimiting(SignInRateLimits.Policy);
        group.MapPost("/logout", SignOut);
        group.MapGet("/access-denied", (HttpContext context) => Html(StatusCodes.Status403Forbidden, "Ingen adgang / Access denied",
            "<h1>Ingen adgang <span lang=\"en\">/ Access denied</span></h1>" +
            "<p>Din rolle giver ikke adgang til siden. <span lang=\"en\">Your role does not give access to this page.</span></p>" +
            "<p><a href=\"/\">Forside / Home</a></p>" + SignOutForm(context)));
        return app;
    }

    private static async Task<IResult> SignIn(
        HttpContext context, [FromForm] LoginForm form, SignInManager<IdentityUser> signIn, IAntiforgery antiforgery, ILoggerFactory loggers,
        AccountSignInThrottle throttle, UnknownAccountPasswordCheck unknownAccounts, MfaRequirement mfa)
    {
        var logger = loggers.CreateLogger(typeof(LoginPage).FullName!);
        var returnUrl = SafeReturnUrl(form.ReturnUrl);
        if (string.IsNullOrWhiteSpace(form.Email) || string.IsNullOrEmpty(form.Password))
            return Page(context, antiforgery, returnUrl, "Skriv e-mail og adgangskode. / Enter e-mail and password.");

        var email = form.Email.Trim();
        if (!throttle.MayTry(email))
        {
            logger.LogWarning("Sign-in refused: too many failed attempts for one account");
            context.Response.Headers.RetryAfter = "30";
            return Page(context, antiforgery, returnUrl, SignInRateLimits.PageMessage, StatusCodes.Status429TooManyRequests);
        }

        var user = await signIn.UserManager.FindByEmailAsync(email);
        Microsoft.AspNetCore.Identity.SignInResult result;
        if (user is null)
        {
            // The same work as for a known account (one password hash check), so the answer's timing does not tell
            // whether the e-mail exists.
            unknownAccounts.Check(form.Password);
            result = Microsoft.AspNetCore.Identity.SignInResult.Failed;
        }
        else
        {
            result = await signIn.PasswordSignInAsync(user, form.Password, isPersistent: false, lockoutOnFailure: true);
        }

        if (result.RequiresTwoFactor)
        {
            logger.LogInformation("Password accepted for user {UserId}; second step required", user!.Id);
            return Results.Redirect(MfaSignInPage.Path + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        }

        if (result.Succeeded)
        {
            logger.LogInformation("Sign-in succeeded for user {UserId}", user!.Id);
            // A role that needs a second factor, without one yet: enrol before anything else.
            if (mfa.IsRequiredFor(await signIn.UserManager.GetRolesAsync(user)))
                return Results.Redirect(MfaSetupPage.Path + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl)));
            return Results.LocalRedirect(returnUrl ?? "/");
        }

        throttle.RecordFailure(email);
        // Ids only in the log; no e-mail addresses.
        logger.LogWarning("Sign-in failed (user {UserId}, locked out {LockedOut})", user?.Id ?? "unknown", result.IsLockedOut);
        return Page(context, antiforgery, returnUrl,
            "Log ind mislykkedes. Efter 5 forkerte forsøg spærres kontoen i 15 minutter. " +
            "<span lang=\"en\">Sign-in failed. After 5 wrong attempts the account is locked for 15 minutes.</span>", StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> SignOut(HttpContext context, IAntiforgery antiforgery, UserManager<IdentityUser> users)
    {
        // No form fields are bound here, so the antiforgery token is checked by hand: a cross-site form cannot sign anyone out.
        if (!await antiforgery.IsRequestValidAsync(context))
            return Results.Problem(title: "Invalid form", detail: "The form has expired; reload the page.", statusCode: StatusCodes.Status400BadRequest);
        // Signing out ends everything the session handed out: a new security stamp revokes the Studio's bearer
        // tokens at once and the user's other cookie sessions at their next check (5 minutes).
        if (context.User.Identity?.AuthenticationType == IdentityConstants.ApplicationScheme
            && await users.GetUserAsync(context.User) is { } user)
            await users.UpdateSecurityStampAsync(user);
        await context.SignOutAsync(IdentityConstants.ApplicationScheme);
        return Results.Redirect(ExitAuthentication.LoginPath);
    }

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error, int status = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var body = new StringBuilder();
        body.Append("<h1>Log ind <span lang=\"en\">/ Sign in</span></h1>");
        if (context.User.Identity?.IsAuthenticated == true)
        {
            body.Append("<p>Du er logget ind som <strong>").Append(Encode(context.User.Identity.Name)).Append("</strong>. ")
                .Append("<span lang=\"en\">You are signed in.</span></p>").Append(SignOutForm(context, tokens));
        }

        if (error is not null) body.Append("<p role=\"alert\" class=\"error\">").Append(error).Append("</p>");
        body.Append("<form method=\"post\" action=\"").Append(ExitAuthentication.LoginPath).Append("\">")
            .Append("<input type=\"hidden\" name=\"").Append(Encode(tokens.FormFieldName)).Append("\" value=\"").Append(Encode(tokens.RequestToken)).Append("\">")
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(Encode(returnUrl ?? "")).Append("\">")
            .Append("<p><label for=\"email\">E-mail</label><br><input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required autofocus></p>")
            .Append("<p><label for=\"password\">Adgangskode <span lang=\"en\">/ Password</span></label><br>")
            .Append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>")
            .Append("<p><button type=\"submit\">Log ind <span lang=\"en\">/ Sign in</span></button></p></form>");
        return Html(status, "Log ind / Sign in", body.ToString());
    }

    private static string SignOutForm(HttpContext context, AntiforgeryTokenSet? tokens = null)
    {
        if (context.User.Identity?.IsAuthenticated != true) return "";
        tokens ??= context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return "<form method=\"post\" action=\"" + ExitAuthentication.LogoutPath + "\">" +
               "<input type=\"hidden\" name=\"" + Encode(tokens.FormFieldName) + "\" value=\"" + Encode(tokens.RequestToken) + "\">" +
               "<button type=\"submit\">Log ud <span lang=\"en\">/ Sign out</span></button></form>";
    }

    internal static IResult Html(int status, string title, string body)
    {
        var html = "<!DOCTYPE html><html lang=\"da\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
                   "<title>" + Encode(title) + " – Exit</title>" +
                   "<link rel=\"stylesheet\" href=\"" + Stylesheet + "\">" +
                   "<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}" +
                   "input{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}button{font-size:1rem;padding:.4rem 1rem}" +
                   ".error{color:#a00000;border-left:4px solid #a00000;padding-left:.5rem}</style></head><body><main>" + body + "</main></body></html>";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>Only local paths ("/x", not "//host" or "/\host"), so sign-in cannot redirect elsewhere.</summary>
    public static string? SafeReturnUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : null;

    internal static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");
}
