using System.Net;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Exit.Host.Tests.WebSecurity;

/// <summary>
/// Sign-in limits on the real Host: per client address (ASP.NET Core's rate limiter), per account (failures only,
/// refilled by itself), and the password hasher running for unknown e-mails as for known ones.
/// </summary>
public sealed class SignInLimitTests : IDisposable
{
    private const string Password = "correct horse battery";
    private readonly HashCounter _hashChecks = new();
    private readonly ExitHostFactory _perAddress;
    private readonly ExitHostFactory _perAccount;

    public SignInLimitTests()
    {
        _perAddress = new ExitHostFactory(configure: b => b.UseSetting("Exit:Auth:SignInLimits:AttemptsPerAddress", "3"));
        _perAccount = new ExitHostFactory(configure: b =>
        {
            b.UseSetting("Exit:Auth:RequireMfa", "false");
            b.UseSetting("Exit:Auth:SignInLimits:FailuresPerAccount", "2");
            b.UseSetting("Exit:Auth:SignInLimits:AccountRefill", "00:05:00");
            b.ConfigureTestServices(s =>
            {
                s.AddSingleton(_hashChecks);
                s.Replace(ServiceDescriptor.Scoped<IPasswordHasher<IdentityUser>, CountingHasher>());
            });
        });
    }

    public void Dispose()
    {
        _perAddress.Dispose();
        _perAccount.Dispose();
    }

    [Fact]
    public async Task OneAddress_ManyAccounts_GetsA429WithTheDanishMessage_OtherAddressesDoNot()
    {
        var server = _perAddress.Server;
        for (var i = 0; i < 3; i++)
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await PostLoginFromAsync(server, "198.51.100.1", $"spray{i}@test.dk")).StatusCode);

        var limited = await PostLoginFromAsync(server, "198.51.100.1", "spray9@test.dk");
        var other = await PostLoginFromAsync(server, "198.51.100.2", "spray9@test.dk");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("For mange forsøg på at logge ind", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(limited.Headers.RetryAfter is not null, "Retry-After is sent");
        Assert.NotEqual(HttpStatusCode.TooManyRequests, other.StatusCode);
    }

    [Fact]
    public async Task OneAccount_AfterItsFailures_Waits_AndOtherAccountsAreUntouched()
    {
        await CreateUserAsync("leder.limit@test.dk");
        await CreateUserAsync("kollega.limit@test.dk");
        var client = _perAccount.CreateClientAs(null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await AuthHost.SignInAsync(client, "leder.limit@test.dk", "wrong one")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AuthHost.SignInAsync(client, "leder.limit@test.dk", "wrong two")).StatusCode);
        var limited = await AuthHost.SignInAsync(client, "leder.limit@test.dk", Password);
        var colleague = await AuthHost.SignInAsync(_perAccount.CreateClientAs(null), "kollega.limit@test.dk", Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("For mange forsøg på at logge ind", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, colleague.StatusCode);
    }

    [Fact]
    public async Task AccountThrottle_CountsFailuresPerAccount_AndRefillsByItself_SoTheRealUserIsNotLockedOut()
    {
        using var throttle = new Exit.Host.Infrastructure.WebSecurity.AccountSignInThrottle(
            Options.Create(new Exit.Host.Infrastructure.WebSecurity.SignInLimitOptions { FailuresPerAccount = 2, AccountRefill = TimeSpan.FromSeconds(1) }));

        Assert.True(throttle.MayTry("a@test.dk"));
        Assert.True(throttle.MayTry("a@test.dk"));
        throttle.RecordFailure("a@test.dk");
        Assert.True(throttle.MayTry("A@test.dk "));
        throttle.RecordFailure("A@TEST.dk");

        Assert.False(throttle.MayTry("a@test.dk"));
        Assert.True(throttle.MayTry("b@test.dk"));

        // One refill period later (measured loosely: up to 10 s on a busy machine) the account may try again.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!throttle.MayTry("a@test.dk") && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(100);
        Assert.True(throttle.MayTry("a@test.dk"));
    }

    [Fact]
    public async Task UnknownEmail_RunsThePasswordHasherOnce_AsAWrongPasswordForAKnownEmailDoes()
    {
        await CreateUserAsync("kendt.hash@test.dk");
        var client = _perAccount.CreateClientAs(null);
        await AuthHost.SignInAsync(client, "warm-up@test.dk", "whatever password"); // the reference hash is made once per process

        var before = _hashChecks.Verifications;
        var unknown = await AuthHost.SignInAsync(client, "ukendt.hash@test.dk", "some password here");
        var afterUnknown = _hashChecks.Verifications;
        var known = await AuthHost.SignInAsync(client, "kendt.hash@test.dk", "some password here");
        var afterKnown = _hashChecks.Verifications;

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, known.StatusCode);
        Assert.Equal(1, afterUnknown - before);
        Assert.Equal(1, afterKnown - afterUnknown);
        // The same page apart from the fresh antiforgery token.
        Assert.Equal(WithoutFieldValues(await unknown.Content.ReadAsStringAsync()), WithoutFieldValues(await known.Content.ReadAsStringAsync()));
    }

    private static string WithoutFieldValues(string html) => System.Text.RegularExpressions.Regex.Replace(html, "value=\"[^\"]*\"", "value=\"\"");

    private async Task CreateUserAsync(string email)
    {
        using var scope = _perAccount.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await scope.ServiceProvider.GetRequiredService<Exit.Host.Infrastructure.Tenancy.UserMunicipalities>().CreateAsync(user, Password, Exit.Workflows.Tenancy.TenantIds.Default)).Succeeded);
        Assert.True((await users.AddToRolesAsync(user, [ExitRoles.Manager])).Succeeded);
    }

    /// <summary>A sign-in POST from a client address (no antiforgery token: the limiter runs before the form is read).</summary>
    private static async Task<HttpResponseMessage> PostLoginFromAsync(TestServer server, string address, string email)
    {
        var context = await server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
            c.Request.Method = "POST";
            c.Request.Path = "/account/login";
            c.Request.ContentType = "application/x-www-form-urlencoded";
            c.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("email=" + Uri.EscapeDataString(email) + "&password=x"));
        });
        var response = new HttpResponseMessage((HttpStatusCode)context.Response.StatusCode)
        {
            Content = new StringContent(await new StreamReader(context.Response.Body).ReadToEndAsync()),
        };
        foreach (var header in context.Response.Headers) response.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
        return response;
    }

    public sealed class HashCounter
    {
        private int _verifications;
        public int Verifications => Volatile.Read(ref _verifications);
        public void Add() => Interlocked.Increment(ref _verifications);
    }

    public sealed class CountingHasher(HashCounter counter, IOptions<PasswordHasherOptions> options) : PasswordHasher<IdentityUser>(options)
    {

        public override PasswordVerificationResult VerifyHashedPassword(IdentityUser user, string hashedPassword, string providedPassword)
        {
            counter.Add();
            return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
