namespace Exit.Workflows.Tenancy;

/// <summary>
/// The tenant (in Exit: the municipality) whose rows the current flow of work may read and write. Every tenant-owned
/// table is filtered by it in its EF model (<see cref="TenantModel.ApplyTenantFilters"/>) and new rows are stamped
/// with it (<see cref="TenantStampingInterceptor"/>), so a query that forgets a <c>Where</c> cannot see another
/// tenant's rows. It flows with the async context: the web host enters it per request from the signed-in user,
/// background work (timers, sweeps, plans) enters it from the row it is about to act on.
/// </summary>
/// <remarks>
/// No scope means no tenant: filtered queries see nothing and writes of tenant-owned rows fail. Only code that must
/// see every tenant (the due-timer sweep, the national report) says so explicitly with <c>IgnoreQueryFilters()</c>
/// and then enters each row's own tenant before it acts.
/// </remarks>
public static class TenantScope
{
    private static readonly AsyncLocal<string?> s_current = new();

    /// <summary>
    /// The tenant used when no scope was entered. Null (the web host's setting) makes a forgotten scope fail closed;
    /// a single-tenant embedder (benchmarks, runtime tests) may name its one tenant here.
    /// </summary>
    public static string? Fallback { get; set; }

    /// <summary>The tenant in scope, or null when none is.</summary>
    public static string? Current => s_current.Value ?? Fallback;

    /// <summary>Whether a scope was entered explicitly (the fallback does not count).</summary>
    public static bool IsEntered => s_current.Value is not null;

    /// <summary>Enters <paramref name="tenantId"/> until the returned scope is disposed (then the previous one is back).</summary>
    public static Scope Enter(string tenantId)
    {
        TenantIds.Validate(tenantId);
        var previous = s_current.Value;
        s_current.Value = tenantId;
        return new Scope(previous);
    }

    /// <summary>The tenant in scope; throws when there is none (a write that would otherwise land nowhere).</summary>
    public static string Required() =>
        Current ?? throw new TenantScopeMissingException();

    public readonly struct Scope(string? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}

/// <summary>Thrown when tenant-owned data is written with no tenant in scope.</summary>
public sealed class TenantScopeMissingException()
    : InvalidOperationException("No tenant is in scope: tenant-owned rows can be written only inside TenantScope.Enter.");

/// <summary>Thrown when a write would change or remove another tenant's row.</summary>
public sealed class CrossTenantWriteException(string entity)
    : InvalidOperationException($"A {entity} of another tenant cannot be changed from this tenant's scope.");
