using Exit.Activities.Cti.Domain;

namespace Exit.Host.Infrastructure.Configuration;

/// <summary>
/// CPR numbers are stored encrypted with a 32-byte key from configuration (Exit:Cti:CprKey, base64), kept
/// outside the database. The service refuses to start without one, unless in demo mode, which gets a fixed,
/// published key so its data survives restarts: that key is never used outside demo mode.
/// </summary>
public static class CprProtection
{
    private const string DemoKey = "RXhpdC1kZW1vLWtleS1ub3QtZm9yLXJlYWwtZGF0YSE=";

    public const string MissingKeyMessage =
        "Exit:Cti:CprKey is not configured: the service needs a 32-byte key in base64 to encrypt CPR numbers " +
        "(create one with `openssl rand -base64 32` and keep it outside the database, e.g. Exit__Cti__CprKey). " +
        "Only demo mode (--demo) runs without one, on a published demo key.";

    /// <param name="required">False for the create-user command, which never touches citizen data.</param>
    public static IServiceCollection AddCprProtection(this IServiceCollection services, IConfiguration configuration, bool demo, bool required = true)
    {
        var configured = configuration["Exit:Cti:CprKey"];
        var key = !string.IsNullOrWhiteSpace(configured) ? configured : demo ? DemoKey : null;
        if (key is null)
        {
            if (required) throw new StartupRefusedException(MissingKeyMessage);
            return services;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(key);
        }
        catch (FormatException)
        {
            throw new StartupRefusedException("Exit:Cti:CprKey must be 32 bytes in base64 (e.g. from `openssl rand -base64 32`).");
        }

        if (bytes.Length != 32)
            throw new StartupRefusedException($"Exit:Cti:CprKey must be 32 bytes in base64; it has {bytes.Length}.");
        if (!demo && key == DemoKey)
            throw new StartupRefusedException("Exit:Cti:CprKey is the published demo key; outside demo mode configure a key of your own.");
        services.AddSingleton<ICprProtector>(new AesGcmCprProtector(bytes));
        return services;
    }
}
