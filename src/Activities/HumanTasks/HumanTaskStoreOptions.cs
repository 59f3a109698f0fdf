using Exit.Workflows.Persistence.EntityFramework;

namespace Exit.Activities.HumanTasks;

/// <summary>Where task records live. Normally the same database as the workflow instances.</summary>
public sealed class HumanTaskStoreOptions : ModuleStoreOptions;

/// <summary>Makes <see cref="TaskDbContext"/>s (history table <c>__TaskMigrationsHistory</c>).</summary>
public sealed class TaskDbContextFactory(HumanTaskStoreOptions options)
    : ModuleDbContextFactory<TaskDbContext>(options, TaskDbContext.MigrationsHistoryTable);
