using Exit.Workflows.Persistence.EntityFramework;

namespace Exit.Activities.Cti.Persistence;

/// <summary>Where the CTI tables live. Normally the same database as the workflow instances and tasks.</summary>
public sealed class CtiStoreOptions : ModuleStoreOptions;

/// <summary>Makes <see cref="CtiDbContext"/>s (history table <c>__CtiMigrationsHistory</c>).</summary>
public sealed class CtiDbContextFactory(CtiStoreOptions options)
    : ModuleDbContextFactory<CtiDbContext>(options, CtiDbContext.MigrationsHistoryTable);
