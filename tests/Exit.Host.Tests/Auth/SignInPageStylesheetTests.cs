using System.Net;
using System.Text.RegularExpressions;

namespace Exit.Host.Tests.Auth;

/// <summary>The sign-in page is styled for someone not yet signed in; nothing but stylesheets opens up with it.</summary>
public sealed partial class SignInPageStylesheetTests(AuthHost host) : IClassFixture<AuthHost>
{
    [Fact]
    public async Task SignInPage_StylesheetLink_AnswersTheStylesheetWithoutSignIn()
    {
        var anonymous = host.Host.CreateClientAs(null);
        var page = await anonymous.GetStringAsync("/account/login");
        var link = StylesheetLink().Match(page);
        Assert.True(link.Success, "the sign-in page links a stylesheet");

        var css = await anonymous.GetAsync(link.Groups["href"].Value);

        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains(":focus-visible", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/js/exit.js")]
    [InlineData("/worker/tasks")]
    public async Task WithoutSignIn_ScriptsAndPagesStillSendToTheSignInPage(string path)
    {
        var response = await host.Host.CreateClientAs(null).GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location?.AbsolutePath ?? response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"(?<href>/[^\"]+)\">")]
    private static partial Regex StylesheetLink();
}
