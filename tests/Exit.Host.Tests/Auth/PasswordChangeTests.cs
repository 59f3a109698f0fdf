using System.Net;
using System.Text.RegularExpressions;
using Exit.Host.Infrastructure.Auth;

namespace Exit.Host.Tests.Auth;

/// <summary>A signed-in user changes their own password on /account/password, under Identity's rules.</summary>
public sealed partial class PasswordChangeTests(AuthHost host) : IClassFixture<AuthHost>
{
    private const string Old = "correct horse battery";
    private const string New = "purple elephant umbrella";

    [Fact]
    public async Task ChangingThePassword_OnlyTheNewOneSignsIn_AndTheSessionStaysSignedIn()
    {
        await host.CreateUserAsync("skift.ok@test.dk", Old, ExitRoles.Worker);
        var session = await SignedInAsync("skift.ok@test.dk");

        var response = await ChangeAsync(session, Old, New, New);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Adgangskoden er skiftet", await session.GetStringAsync(response.Headers.Location!.OriginalString), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AuthHost.SignInAsync(host.Host.CreateClientAs(null), "skift.ok@test.dk", Old)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AuthHost.SignInAsync(host.Host.CreateClientAs(null), "skift.ok@test.dk", New)).StatusCode);
    }

    [Theory]
    [InlineData("wrong current password", New, New, "nuværende adgangskode er forkert")]
    [InlineData(Old, "kort", "kort", "opfylder ikke reglerne")]
    [InlineData(Old, "aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa", "opfylder ikke reglerne")]
    [InlineData(Old, New, "purple elephant umbrelIa", "ikke ens")]
    public async Task ARefusedChange_SaysWhy_AndTheOldPasswordStillSignsIn(string current, string next, string confirm, string reason)
    {
        var email = $"skift.{Guid.NewGuid():N}@test.dk";
        await host.CreateUserAsync(email, Old, ExitRoles.Manager);
        var session = await SignedInAsync(email);

        var response = await ChangeAsync(session, current, next, confirm);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await AuthHost.SignInAsync(host.Host.CreateClientAs(null), email, Old)).StatusCode);
    }

    [Fact]
    public async Task WithoutSignIn_ThePageSendsToTheSignInPage()
    {
        var response = await host.Host.CreateClientAs(null).GetAsync("/account/password");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(ExitAuthentication.LoginPath, response.Headers.Location?.AbsolutePath);
    }

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = host.Host.CreateClientAs(null);
        Assert.Equal(HttpStatusCode.Redirect, (await AuthHost.SignInAsync(client, email, Old)).StatusCode);
        return client;
    }

    private static async Task<HttpResponseMessage> ChangeAsync(HttpClient session, string current, string next, string confirm)
    {
        var token = TokenField().Match(await session.GetStringAsync("/account/password"));
        Assert.True(token.Success, "the page has an antiforgery field");
        return await session.PostAsync("/account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            ["currentPassword"] = current,
            ["newPassword"] = next,
            ["confirmPassword"] = confirm,
        }));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex TokenField();
}
