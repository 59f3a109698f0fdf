using System.Security.Cryptography.X509Certificates;
using Exit.Host.Infrastructure.Configuration;
using Microsoft.AspNetCore.DataProtection;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>Exit:DataProtection: the certificate that encrypts the data-protection key ring at rest.</summary>
public sealed class DataProtectionSettings
{
    /// <summary>A PKCS#12 (.pfx) file with an RSA certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}

/// <summary>
/// The data-protection key ring (what signs and encrypts the sign-in cookie, antiforgery tokens and bearer tokens)
/// lives in the service's database (<c>ExitDataProtectionKeys</c>), so every host on the same database accepts what
/// another issued and a restart signs nobody out. The keys are encrypted at rest with a configured certificate.
/// In Production the service refuses to start without one: anyone with a copy of the database could otherwise
/// read the keys and forge a cookie for any user, administrators included. Elsewhere (development, tests, demo)
/// the keys are stored unencrypted and a warning says so.
/// </summary>
public static partial class ExitDataProtection
{
    public const string ApplicationName = "Exit";

    public const string MissingCertificateMessage =
        "Exit:DataProtection:CertificatePath is not configured: in Production the data-protection keys (which sign the " +
        "sign-in cookies) must be encrypted in the database with a certificate. Configure a .pfx file with " +
        "Exit__DataProtection__CertificatePath and Exit__DataProtection__CertificatePassword (README, Data protection).";

    public static IServiceCollection AddExitDataProtection(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var settings = configuration.GetSection("Exit:DataProtection").Get<DataProtectionSettings>() ?? new DataProtectionSettings();
        var builder = services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<ExitIdentityDbContext>();

        if (!string.IsNullOrWhiteSpace(settings.CertificatePath))
        {
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(settings.CertificatePath, settings.CertificatePassword);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new StartupRefusedException($"Exit:DataProtection:CertificatePath could not be read as a PKCS#12 certificate with its private key: {e.Message}");
            }

            if (!certificate.HasPrivateKey)
                throw new StartupRefusedException("Exit:DataProtection:CertificatePath: the certificate has no private key, so keys it encrypts could not be read back.");
            builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
        else if (environment.IsProduction())
        {
            throw new StartupRefusedException(MissingCertificateMessage);
        }
        else
        {
            services.AddHostedService<UnencryptedKeysWarning>();
        }

        return services;
    }

    private sealed partial class UnencryptedKeysWarning(ILogger<UnencryptedKeysWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogUnencrypted(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message =
            "Data-protection keys are stored unencrypted in the database (no Exit:DataProtection:CertificatePath); acceptable outside Production only")]
        private static partial void LogUnencrypted(ILogger logger);
    }
}
