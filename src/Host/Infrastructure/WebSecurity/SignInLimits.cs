using System.Threading.RateLimiting;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Exit.Host.Infrastructure.WebSecurity;

/// <summary>
/// <c>Exit:Auth:SignInLimits</c>. Two limits on sign-in attempts (the password form and the second-step code form):
/// <list type="bullet">
/// <item>per client address (ASP.NET Core's rate limiter, policy <see cref="SignInRateLimits.Policy"/>): stops one
/// address from spraying one password over many accounts;</item>
/// <item>per account (<see cref="AccountSignInThrottle"/>): failed attempts only, a token bucket that refills by
/// itself, so many addresses attacking one account are slowed down but the real user is never locked out for longer
/// than one refill period after the attack stops. Identity's lockout (5 wrong passwords, 15 minutes) stays as it is.</item>
/// </list>
/// </summary>
public sealed class SignInLimitOptions
{
    /// <summary>Attempts per client address per <see cref="AddressWindow"/>.</summary>
    public int AttemptsPerAddress { get; set; } = 20;

    public TimeSpan AddressWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Failed attempts an account absorbs before further attempts wait for a refill.</summary>
    public int FailuresPerAccount { get; set; } = 10;

    /// <summary>One more failed attempt is allowed per account after each period.</summary>
    public TimeSpan AccountRefill { get; set; } = TimeSpan.FromSeconds(30);
}

public static class SignInRateLimits
{
    public const string Policy = "sign-in";
    private const int AddressWindowSegments = 5;

    /// <summary>The Danish message on the sign-in page when a limit is reached (English beside it).</summary>
    public const string PageMessage = "For mange forsøg på at logge ind. Vent lidt, og prøv igen. " +
                                      "<span lang=\"en\">Too many sign-in attempts. Wait a moment and try again.</span>";

    public static IServiceCollection AddSignInLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SignInLimitOptions>(configuration.GetSection("Exit:Auth:SignInLimits"));
        services.AddSingleton<AccountSignInThrottle>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Policy, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<SignInLimitOptions>>().Value;
                // After the forwarded-headers middleware: behind a known proxy this is the client's address.
                var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetSlidingWindowLimiter(address, _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = limits.AttemptsPerAddress,
                    Window = limits.AddressWindow,
                    SegmentsPerWindow = AddressWindowSegments,
                    QueueLimit = 0,
                });
            });
            o.OnRejected = (rejected, ct) =>
            {
                // A sliding window names no retry time; one segment of it is when the oldest attempts start to drop out.
                var limits = rejected.HttpContext.RequestServices.GetRequiredService<IOptions<SignInLimitOptions>>().Value;
                var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var known) ? known : limits.AddressWindow / AddressWindowSegments;
                return new ValueTask(WriteRejectionAsync(rejected.HttpContext, retry, ct));
            };
        });
        return services;
    }

    /// <summary>429: problem+json on API paths, the Danish message on a page. Retry-After when known.</summary>
    public static async Task WriteRejectionAsync(HttpContext context, TimeSpan? retryAfter, CancellationToken ct)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (retryAfter is { } wait) context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (ExitAuthentication.IsApiPath(context.Request.Path))
        {
            await TypedResults.Problem(title: "Too many requests", detail: "Too many sign-in attempts; wait and try again.",
                statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
            return;
        }

        await Features.Account.LoginPage.Html(StatusCodes.Status429TooManyRequests, "For mange forsøg / Too many attempts",
            "<h1>Log ind <span lang=\"en\">/ Sign in</span></h1><p role=\"alert\" class=\"error\">" + PageMessage + "</p>" +
            "<p><a href=\"" + ExitAuthentication.LoginPath + "\">Prøv igen <span lang=\"en\">/ Try again</span></a></p>").ExecuteAsync(context);
    }
}

/// <summary>
/// Failed sign-in attempts per account (normalised e-mail, known or not, so the answer does not tell which
/// accounts exist). Only failures take a token; a successful sign-in takes none.
/// </summary>
public sealed class AccountSignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public AccountSignInThrottle(IOptions<SignInLimitOptions> options)
    {
        var limits = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(account => RateLimitPartition.GetTokenBucketLimiter(account, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.FailuresPerAccount,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = limits.AccountRefill,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>
    /// True when the account has at least one whole failed attempt left (takes nothing). Not <c>AttemptAcquire(0)</c>:
    /// inside a partitioned limiter the bucket refills continuously, so it is almost never exactly empty.
    /// </summary>
    public bool MayTry(string account) => _limiter.GetStatistics(Key(account)) is not { } statistics || statistics.CurrentAvailablePermits >= 1;

    public void RecordFailure(string account)
    {
        using var lease = _limiter.AttemptAcquire(Key(account), 1);
    }

    private static string Key(string account) => account.Trim().ToUpperInvariant();

    public void Dispose() => _limiter.Dispose();
}
