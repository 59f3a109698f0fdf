using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Security;

/// <summary>
/// Issue 14: the data-protection key ring lives in the database, encrypted with the configured certificate, and is
/// shared by every host on that database: a sign-in cookie issued by one host is accepted by another.
/// </summary>
public sealed class DataProtectionTests : IDisposable
{
    private const string Password = "correct horse battery";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "exit-dp-tests", Guid.NewGuid().ToString("N"));

    public DataProtectionTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task ACookieIssuedByOneHost_IsAcceptedByASecondHostOnTheSameDatabase()
    {
        var certificate = WriteCertificate();
        using var first = Host(certificate);
        using (var scope = first.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = new IdentityUser { UserName = "shared.cookie@test.dk", Email = "shared.cookie@test.dk" };
            Assert.True((await scope.ServiceProvider.GetRequiredService<Exit.Host.Infrastructure.Tenancy.UserMunicipalities>().CreateAsync(user, Password, Exit.Workflows.Tenancy.TenantIds.Default)).Succeeded);
            // A worker: two-step sign-in is optional for workers, so the password alone makes a full session.
            Assert.True((await users.AddToRoleAsync(user, ExitRoles.Worker)).Succeeded);
        }

        var signIn = await AuthHost.SignInAsync(first.CreateClientAs(null), "shared.cookie@test.dk", Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("exit.auth=", StringComparison.Ordinal)).Split(';')[0];

        using var second = Host(certificate);
        var client = second.CreateClientAs(null);
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        var me = await client.GetAsync("/api/account/me");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("shared.cookie@test.dk", (string?)(await me.Content.ReadFromJsonAsync<JsonObject>())!["name"]);
        // One key ring, in the database, and encrypted there: no key material in the clear.
        using var keys = second.Services.CreateScope();
        var stored = await keys.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().DataProtectionKeys.AsNoTracking().ToListAsync();
        var key = Assert.Single(stored);
        Assert.Contains("EncryptedData", key.Xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", key.Xml, StringComparison.Ordinal);
    }

    private ExitHostFactory Host(string certificate) =>
        new(configure: b => b
            .UseSetting("Exit:Database:SqlitePath", Path.Combine(_directory, "exit.db"))
            .UseSetting("Exit:DataProtection:CertificatePath", certificate)
            .UseSetting("Exit:DataProtection:CertificatePassword", "test-password"));

    /// <summary>A self-signed RSA certificate with its private key, as an operator would configure one.</summary>
    private string WriteCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=exit-data-protection-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_directory, "data-protection.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, "test-password"));
        return path;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
