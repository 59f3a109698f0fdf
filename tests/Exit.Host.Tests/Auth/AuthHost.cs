using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exit.Host.Tests.Auth;

/// <summary>
/// A real Host for the auth tests, with a course directory that maps correlation ids "course-N" to citizens
/// "citizen-N" (so audit entries carry a citizen without the CTI feature), and helpers to create users and to
/// sign in through the form.
/// </summary>
public sealed partial class AuthHost : IDisposable
{
    /// <remarks>
    /// These tests sign managers and coordinators in with a password only, so the second-factor requirement is off
    /// here (<c>Exit:Auth:RequireMfa=false</c>); <see cref="MfaTests"/> run with it on, as a real deployment does.
    /// </remarks>
    public ExitHostFactory Host { get; } = new(configure: builder =>
    {
        builder.UseSetting("Exit:Auth:RequireMfa", "false");
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Scoped<ICourseDirectory, FakeCourseDirectory>()));
    });

    public void Dispose() => Host.Dispose();

    public async Task<IdentityUser> CreateUserAsync(string email, string password, params string[] roles)
    {
        using var scope = Host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        var result = await scope.ServiceProvider.GetRequiredService<Exit.Host.Infrastructure.Tenancy.UserMunicipalities>().CreateAsync(user, password, Exit.Workflows.Tenancy.TenantIds.Default);
        Assert.True(result.Succeeded, IdentityStartup.Describe(result));
        Assert.True((await users.AddToRolesAsync(user, roles)).Succeeded);
        return user;
    }

    /// <summary>Posts the sign-in form (with its antiforgery token) on a cookie client; returns the answer.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient cookieClient, string email, string password)
    {
        var page = await cookieClient.GetStringAsync("/account/login");
        var token = TokenField().Match(page);
        Assert.True(token.Success, "the sign-in page has an antiforgery field");
        return await cookieClient.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [WebUtility.HtmlDecode(token.Groups["name"].Value)] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            ["email"] = email,
            ["password"] = password,
            ["returnUrl"] = "/api/account/me",
        }));
    }

    /// <summary>Starts task-then-timer with the correlation id and returns the id of its open review task.</summary>
    public async Task<string> StartTaskAsync(string correlationId)
    {
        var client = Host.CreateClient();
        var response = await client.PostAsJsonAsync("/elsa/api/workflow-definitions/task-then-timer/execute", new { correlationId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = await client.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={correlationId}&status=Open");
        return (string)list!["items"]!.AsArray().Single()!["id"]!;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>__RequestVerificationToken)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex TokenField();

    private sealed class FakeCourseDirectory : ICourseDirectory
    {
        public Task<CourseRef?> FindCourseAsync(string courseId, CancellationToken ct) =>
            Task.FromResult(courseId.StartsWith("course-", StringComparison.Ordinal)
                ? new CourseRef(courseId, "citizen-" + courseId["course-".Length..], TestApiKeys.UserNameFor(ExitRoles.Worker))
                : null);

        public Task<string?> CitizenOfCorrelationAsync(string? correlationId, CancellationToken ct) =>
            Task.FromResult(correlationId?.StartsWith("course-", StringComparison.Ordinal) == true ? "citizen-" + correlationId["course-".Length..] : null);
    }
}
