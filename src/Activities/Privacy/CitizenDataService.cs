using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Exit.Activities.Privacy;

/// <summary>What an erasure removed, per module (rows), for the receipt.</summary>
public sealed record ErasureResult(string CitizenId, IReadOnlyDictionary<string, int> RemovedByModule);

/// <summary>
/// Runs every module's <see cref="ICitizenDataEraser"/> or <see cref="ICitizenDataExporter"/> over one scope. Each
/// module deletes in its own transaction; an erasure that fails half-way is safe to run again (every eraser deletes
/// what is still there), which is what the retention job does the next day.
/// </summary>
public sealed class CitizenDataService(
    ICitizenScopeResolver resolver,
    IEnumerable<ICitizenDataEraser> erasers,
    IEnumerable<ICitizenDataExporter> exporters,
    ILogger<CitizenDataService> logger)
{
    public Task<CitizenDataScope?> ResolveAsync(string citizenId, CancellationToken ct) => resolver.ResolveAsync(citizenId, ct);

    public async Task<ErasureResult> EraseAsync(CitizenDataScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var removed = new Dictionary<string, int>(StringComparer.Ordinal);
        // The citizen's own module goes last: until then the scope can still be resolved again after a failure.
        foreach (var eraser in erasers.OrderBy(e => e.Module == "cti" ? 1 : 0))
            removed[eraser.Module] = removed.GetValueOrDefault(eraser.Module) + await eraser.EraseAsync(scope, ct);
        logger.LogInformation("Erased {Courses} courses of citizen {CitizenId} (whole citizen: {Whole})", scope.Courses.Count, scope.CitizenId, scope.WholeCitizen);
        return new ErasureResult(scope.CitizenId, removed);
    }

    public async Task<IReadOnlyList<CitizenDataSection>> ExportAsync(CitizenDataScope scope, CancellationToken ct)
    {
        var sections = new List<CitizenDataSection>();
        foreach (var exporter in exporters.OrderBy(e => e.Order)) sections.AddRange(await exporter.ExportAsync(scope, ct));
        return sections;
    }
}

public static class PrivacyServiceCollectionExtensions
{
    /// <summary>
    /// Erasure, retention and export of a citizen's data over the modules that hold it. A module that adds tables with
    /// citizen data registers its own eraser and exporter the same way (<c>TryAddEnumerable</c>).
    /// </summary>
    public static IServiceCollection AddCitizenDataRights(this IServiceCollection services)
    {
        services.TryAddSingleton<ICitizenScopeResolver, Cti.Privacy.CtiCitizenScopeResolver>();
        services.TryAddScoped<CitizenDataService>();
        services.TryAddSingleton<WorkflowInstanceEraser>();
        services.TryAddSingleton<HumanTasks.Privacy.TaskCitizenData>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICitizenDataEraser, WorkflowInstanceEraser>(sp => sp.GetRequiredService<WorkflowInstanceEraser>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICitizenDataEraser, HumanTasks.Privacy.TaskCitizenData>(sp => sp.GetRequiredService<HumanTasks.Privacy.TaskCitizenData>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICitizenDataExporter, HumanTasks.Privacy.TaskCitizenData>(sp => sp.GetRequiredService<HumanTasks.Privacy.TaskCitizenData>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICitizenDataEraser, Cti.Privacy.CtiCitizenDataEraser>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICitizenDataExporter, Cti.Privacy.CtiCitizenDataExporter>());
        return services;
    }
}
