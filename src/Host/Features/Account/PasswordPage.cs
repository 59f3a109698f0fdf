using System.Text;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using static Exit.Host.Features.Account.LoginPage;

namespace Exit.Host.Features.Account;

/// <summary>
/// <c>GET/POST /account/password</c>: a signed-in user changes their own password, under Identity's password rules
/// (<see cref="ExitAuthentication"/>). The current password is required, so a session left open is not enough to
/// take the account over, and a wrong one counts towards the same lockout as sign-in. The session that changed
/// the password stays signed in; other sessions end at their next security-stamp check.
/// </summary>
public static class PasswordPage
{
    public const string Path = "/account/password";

    public sealed class PasswordForm
    {
        public string? CurrentPassword { get; set; }
        public string? NewPassword { get; set; }
        public string? ConfirmPassword { get; set; }
    }

    public static IEndpointRouteBuilder MapPasswordPage(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (HttpContext context, IAntiforgery antiforgery, bool? changed) =>
                Page(context, antiforgery, changed == true ? Notice("Adgangskoden er skiftet.", "Your password has been changed.") : null))
            .ExcludeFromDescription().RequireAuthorization(ExitPolicies.Staff);
        app.MapPost(Path, ChangeAsync).ExcludeFromDescription().RequireAuthorization(ExitPolicies.Staff);
        return app;
    }

    private static async Task<IResult> ChangeAsync(
        HttpContext context, [FromForm] PasswordForm form, SignInManager<IdentityUser> signIn, IAntiforgery antiforgery, ILoggerFactory loggers)
    {
        var users = signIn.UserManager;
        // API keys and bearer tokens act for a named key or session, not a password: nothing to change here.
        if (await users.GetUserAsync(context.User) is not { } user || !await users.HasPasswordAsync(user))
            return Page(context, antiforgery, Error("Kontoen har ingen adgangskode.", "This account has no password."), StatusCodes.Status400BadRequest);
        if (string.IsNullOrEmpty(form.CurrentPassword) || string.IsNullOrEmpty(form.NewPassword))
            return Page(context, antiforgery, Error("Udfyld alle felter.", "Fill in every field."), StatusCodes.Status400BadRequest);
        if (form.NewPassword != form.ConfirmPassword)
            return Page(context, antiforgery, Error("De to nye adgangskoder er ikke ens.", "The two new passwords differ."), StatusCodes.Status400BadRequest);

        var logger = loggers.CreateLogger(typeof(PasswordPage).FullName!);
        if (!await users.CheckPasswordAsync(user, form.CurrentPassword))
        {
            await users.AccessFailedAsync(user);
            logger.LogWarning("Password change refused for user {UserId}: wrong current password", user.Id);
            return Page(context, antiforgery, Error("Den nuværende adgangskode er forkert.", "The current password is wrong."), StatusCodes.Status400BadRequest);
        }

        var result = await users.ChangePasswordAsync(user, form.CurrentPassword, form.NewPassword);
        if (!result.Succeeded)
        {
            var rules = string.Join("", result.Errors.Select(e => "<li>" + Encode(e.Description) + "</li>"));
            return Page(context, antiforgery, Error("Den nye adgangskode opfylder ikke reglerne:", "The new password does not meet the rules:") + "<ul>" + rules + "</ul>",
                StatusCodes.Status400BadRequest);
        }

        await users.ResetAccessFailedCountAsync(user);
        await signIn.RefreshSignInAsync(user);
        logger.LogInformation("Password changed by user {UserId}", user.Id);
        return Results.Redirect(Path + "?changed=true");
    }

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string? message, int status = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var body = new StringBuilder();
        body.Append("<p><a href=\"/ui\">Tilbage <span lang=\"en\">/ Back</span></a></p>")
            .Append("<h1>Skift adgangskode <span lang=\"en\">/ Change password</span></h1>");
        if (message is not null) body.Append(message);
        body.Append("<form method=\"post\" action=\"").Append(Path).Append("\">")
            .Append("<input type=\"hidden\" name=\"").Append(Encode(tokens.FormFieldName)).Append("\" value=\"").Append(Encode(tokens.RequestToken)).Append("\">")
            .Append(Field("currentPassword", "Nuværende adgangskode", "Current password", "current-password", null))
            .Append(Field("newPassword", "Ny adgangskode", "New password", "new-password", "password-rules"))
            .Append("<p id=\"password-rules\" class=\"help\">").Append(Rules(context)).Append("</p>")
            .Append(Field("confirmPassword", "Gentag den nye adgangskode", "Repeat the new password", "new-password", null))
            .Append("<p><button type=\"submit\">Skift adgangskode <span lang=\"en\">/ Change password</span></button></p></form>");
        return Html(status, "Skift adgangskode / Change password", body.ToString());
    }

    /// <summary>The rules as configured, so the hint never promises what Identity then refuses.</summary>
    private static string Rules(HttpContext context)
    {
        var rules = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.Password;
        return $"Mindst {rules.RequiredLength} tegn, heraf mindst {rules.RequiredUniqueChars} forskellige. " +
               $"<span lang=\"en\">At least {rules.RequiredLength} characters, at least {rules.RequiredUniqueChars} of them different.</span>";
    }

    private static string Field(string name, string da, string en, string autocomplete, string? describedBy) =>
        $"<p><label for=\"{name}\">{da} <span lang=\"en\">/ {en}</span></label><br>" +
        $"<input id=\"{name}\" name=\"{name}\" type=\"password\" autocomplete=\"{autocomplete}\" required" +
        (describedBy is null ? "" : $" aria-describedby=\"{describedBy}\"") + "></p>";

    private static string Error(string da, string en) => $"<p role=\"alert\" class=\"error\">{da} <span lang=\"en\">{en}</span></p>";

    private static string Notice(string da, string en) => $"<p role=\"status\" class=\"notice\">{da} <span lang=\"en\">{en}</span></p>";
}
