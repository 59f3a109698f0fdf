using Exit.Workflows.Persistence.EntityFramework;

namespace Exit.Activities.HumanTasks;

/// <summary>
/// Where task records live: the workflow instances' database (tasks are written in the runtime's commit transaction, and
/// on PostgreSQL the task read before a completion reads the task's instance in the same round trip).
/// </summary>
public sealed class HumanTaskStoreOptions : ModuleStoreOptions
{
    /// <summary>
    /// The application's role names. When set, the <c>role</c> input of <c>Exit.HumanTask</c> is a choice among them
    /// in the designer, and publishing a definition whose literal role is not one of them is refused
    /// (<see cref="Exit.Workflows.Definitions.AllowedValuesRule"/>): a task for a role nobody holds is seen by nobody.
    /// </summary>
    public IReadOnlyList<string>? Roles { get; set; }
}

/// <summary>Makes <see cref="TaskDbContext"/>s (history table <c>__TaskMigrationsHistory</c>).</summary>
public sealed class TaskDbContextFactory(HumanTaskStoreOptions options)
    : ModuleDbContextFactory<TaskDbContext>(options, TaskDbContext.MigrationsHistoryTable);
