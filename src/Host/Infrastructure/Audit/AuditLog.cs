using System.Security.Claims;
using Exit.Host.Infrastructure.Auth;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Exit.Host.Infrastructure.Tenancy;
using Exit.Workflows.Tenancy;

namespace Exit.Host.Infrastructure.Audit;

/// <summary>What happened to which resource, about which citizen, and why. The "who" comes from the caller's principal.</summary>
public sealed record AuditRecord(
    AuditAction Action,
    string ResourceType,
    string? ResourceId = null,
    string? CitizenId = null,
    string? Purpose = null,
    AuditOutcome Outcome = AuditOutcome.Allowed);

/// <summary>
/// The access log for citizen data (cti-method.md, Privacy and law): every read, search, change, export and delete,
/// and every denied attempt. Call it directly from pages and services, or mark a MediatR request with
/// <see cref="IAuditedRequest"/> and <see cref="AuditBehavior{TRequest,TResponse}"/> writes it.
/// </summary>
public interface IAuditLog
{
    /// <summary>Writes one entry for <paramref name="user"/> (default: the current request's user and address).</summary>
    Task WriteAsync(AuditRecord record, ClaimsPrincipal? user = null, CancellationToken ct = default);
}

/// <summary>
/// A MediatR request that reads or changes citizen data. The behaviour writes an allowed entry when the handler
/// succeeds and a denied entry when it throws <see cref="AccessDeniedException"/>; a response implementing
/// <see cref="IAuditedResponse"/> can name the citizen when only the handler knows it.
/// </summary>
public interface IAuditedRequest
{
    AuditAction AuditAction { get; }
    string AuditResourceType { get; }
    string? AuditResourceId { get; }
    string? AuditCitizenId { get; }
    string? AuditPurpose => null;
}

public interface IAuditedResponse
{
    string? AuditCitizenId { get; }
}

/// <summary>Thrown by resource checks; endpoints answer 404 so nothing about the resource leaks.</summary>
public sealed class AccessDeniedException(string resourceType, string? resourceId)
    : Exception($"No {resourceType} {resourceId} for this user.")
{
    public string ResourceType { get; } = resourceType;
    public string? ResourceId { get; } = resourceId;
}

/// <remarks>
/// Each entry belongs to a municipality: the one in scope (a signed-in request's). An event outside any scope (a
/// failed sign-in, a refusal before the caller is known) goes to the municipality of the user it names, and when
/// there is none (an unknown account, a national user) to the national scope (<see cref="TenantIds.Templates"/>),
/// which only the national role's audit search reads. Writing the audit log never fails for want of a scope.
/// </remarks>
public sealed class AuditLog(IDbContextFactory<ExitIdentityDbContext> contexts, IHttpContextAccessor http, TimeProvider clock, AuditLane lane) : IAuditLog
{
    public async Task WriteAsync(AuditRecord record, ClaimsPrincipal? user = null, CancellationToken ct = default)
    {
        var context = http.HttpContext;
        if (record.Outcome == AuditOutcome.Denied && context is not null) context.Items[RefusalAudit.WrittenKey] = true;
        var entry = CreateEntry(record, user ?? context?.User, context, clock.GetUtcNow());
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (entry.TenantId.Length == 0) entry.TenantId = await MunicipalityOfUserAsync(db, entry.UserId);
        entry.Lane = await lane.DrawAsync(db, CancellationToken.None);
        // Written even when the caller's request is being cancelled: an access that happened is logged.
        using (TenantScope.Enter(entry.TenantId))
            await AuditChain.AppendAsync(db, entry, CancellationToken.None);
    }

    private static async Task<string> MunicipalityOfUserAsync(ExitIdentityDbContext db, string? userId)
    {
        if (userId is null) return TenantIds.Templates;
        var municipality = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => EF.Property<string?>(u, UserMunicipalities.Column)).FirstOrDefaultAsync(CancellationToken.None);
        return municipality ?? TenantIds.Templates;
    }

    /// <summary>The entry <see cref="WriteAsync"/> would write, for a caller that stores it another way (<see cref="AuditInCommit"/>).</summary>
    public static AuditEntry CreateEntry(AuditRecord record, ClaimsPrincipal? user, HttpContext? context, DateTimeOffset at) =>
        new()
        {
            // Empty when no scope: WriteAsync then decides (see the remarks on AuditLog).
            TenantId = TenantScope.Current ?? "",
            At = at,
            UserId = user?.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null,
            UserName = user?.Identity?.IsAuthenticated == true ? user.Identity.Name : null,
            Action = record.Action,
            ResourceType = Clip(record.ResourceType, 64)!,
            ResourceId = Clip(record.ResourceId, 200),
            CitizenId = Clip(record.CitizenId, 200),
            Purpose = Clip(record.Purpose, 500),
            Outcome = record.Outcome,
            Ip = Clip(context?.Connection.RemoteIpAddress?.ToString(), 64),
            ApiKeyId = user?.Identity?.IsAuthenticated == true ? Clip(user.FindFirstValue(ApiKeyDefaults.KeyIdClaim), 64) : null,
        };

    private static string? Clip(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}

public sealed class AuditBehavior<TRequest, TResponse>(IAuditLog audit) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not IAuditedRequest audited) return await next();
        TResponse response;
        try
        {
            response = await next();
        }
        catch (AccessDeniedException)
        {
            await audit.WriteAsync(Record(audited, audited.AuditCitizenId, AuditOutcome.Denied), ct: CancellationToken.None);
            throw;
        }

        var citizen = audited.AuditCitizenId ?? (response as IAuditedResponse)?.AuditCitizenId;
        await audit.WriteAsync(Record(audited, citizen, AuditOutcome.Allowed), ct: CancellationToken.None);
        return response;
    }

    private static AuditRecord Record(IAuditedRequest r, string? citizenId, AuditOutcome outcome) =>
        new(r.AuditAction, r.AuditResourceType, r.AuditResourceId, citizenId, r.AuditPurpose, outcome);
}

public static class AuditServiceCollectionExtensions
{
    public static IServiceCollection AddAuditLog(this IServiceCollection services)
    {
        services.TryAddSingleton<AuditLane>(); // one lane per process
        services.TryAddScoped<IAuditLog, AuditLog>();
        services.TryAddScoped<AutoRefreshAudit>();
        services.TryAddScoped<AuditQueries>();
        // Outermost behaviour: registered before validation is added by AddExitMediator, so it sees denials too.
        services.TryAddEnumerable(ServiceDescriptor.Scoped(typeof(IPipelineBehavior<,>), typeof(AuditBehavior<,>)));
        // Audit entries passed with a workflow commit (task completions) are written in its transaction.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Exit.Workflows.Persistence.ICommitParticipant, AuditCommitParticipant>());
        return services;
    }
}
