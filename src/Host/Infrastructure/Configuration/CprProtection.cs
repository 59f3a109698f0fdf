using Exit.Activities.Cti.Domain;

namespace Exit.Host.Infrastructure.Configuration;

/// <summary>
/// CPR numbers are stored encrypted with a 32-byte key from configuration (Exit:Cti:CprKey, base64), kept
/// outside the database. Without a key, citizens can still be registered anonymously, which is the normal
/// case; registering a CPR number then answers that the service is not configured for it. The demo gets a
/// fixed, published key so its data survives restarts — never use it for real data.
/// </summary>
public static class CprProtection
{
    private const string DemoKey = "RXhpdC1kZW1vLWtleS1ub3QtZm9yLXJlYWwtZGF0YSE=";

    public static IServiceCollection AddCprProtection(this IServiceCollection services, IConfiguration configuration, bool demo)
    {
        var configured = configuration["Exit:Cti:CprKey"];
        var key = !string.IsNullOrWhiteSpace(configured) ? configured : demo ? DemoKey : null;
        if (key is null) return services;

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(key);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Exit:Cti:CprKey must be 32 bytes in base64 (e.g. from `openssl rand -base64 32`).");
        }

        if (bytes.Length != 32)
            throw new InvalidOperationException($"Exit:Cti:CprKey must be 32 bytes in base64; it has {bytes.Length}.");
        services.AddSingleton<ICprProtector>(new AesGcmCprProtector(bytes));
        return services;
    }
}
