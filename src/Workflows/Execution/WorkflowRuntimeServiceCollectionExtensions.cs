using Exit.Workflows.Definitions;
using Exit.Workflows.BuiltIns;
using Exit.Workflows.Calendar;
using Exit.Workflows.Expressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exit.Workflows.Execution;

public static class WorkflowRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the workflow runtime: built-in activities, the activity registry (built from every registered
    /// <see cref="ActivityDescriptor"/>), the expression evaluator, id generator, the calendar due-time calculator and
    /// <see cref="IWorkflowRuntime"/>. Timers are not woken by anything until <c>AddExitTimers</c> adds the timer
    /// pipeline (Timers/); without it a test resumes due bookmarks itself. Stores (<c>IWorkflowDefinitionStore</c>,
    /// <c>IWorkflowInstanceStore</c>) are registered by the persistence module. Replace the defaults by
    /// registering your own before or after this call (defaults use TryAdd).
    /// </summary>
    public static IServiceCollection AddWorkflowRuntime(this IServiceCollection services, Action<WorkflowRuntimeOptions>? configure = null)
    {
        var options = new WorkflowRuntimeOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.AddSingleton(options.JavaScript);
        services.AddBuiltInActivities();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IIdGenerator, SequentialIdGenerator>();
        services.TryAddSingleton<IDueTimeCalculator, CalendarDueTimeCalculator>();
        services.TryAddSingleton(sp => new ActivityRegistry(sp.GetServices<ActivityDescriptor>()));
        services.TryAddSingleton(sp => new JavaScriptEvaluator(
            sp.GetRequiredService<IIdGenerator>(), sp.GetRequiredService<JavaScriptOptions>(), sp.GetServices<ScriptHiddenVariable>()));
        services.TryAddSingleton<IExpressionEvaluator, ExpressionEvaluator>();
        services.TryAddScoped<WorkflowRuntime>();
        services.TryAddScoped<IWorkflowRuntime>(sp => sp.GetRequiredService<WorkflowRuntime>());
        services.TryAddScoped<Alterations.WorkflowAlterationRunner>();
        return services;
    }
}
