using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Activities.Tenancy;

/// <summary>
/// The one way the activity stores' migrations add the municipality column, so every table gets it alike on SQLite and
/// PostgreSQL: <c>TenantId</c>, required, at most <see cref="TenantIds.MaxLength"/> characters, defaulting to
/// <see cref="TenantIds.Default"/>. The default is what turns a database from before tenancy into municipality
/// <c>default</c> without loss (every existing row gets it as the column is added). It stays in the schema: SQLite cannot
/// drop a column default without rebuilding the table, and both providers should behave the same. The EF model does not
/// declare it, so EF always writes the tenant the stamping interceptor set, and every raw INSERT in the stores names it.
/// </summary>
public static class TenantColumnMigration
{
    public const string Column = nameof(ITenantOwned.TenantId);

    public static void AddTenantColumn(this MigrationBuilder migration, string table) =>
        migration.AddColumn<string>(Column, table, maxLength: TenantIds.MaxLength, nullable: false, defaultValue: TenantIds.Default);

    /// <summary>Undoes <see cref="AddTenantColumn"/> (EF rebuilds the table on SQLite).</summary>
    public static void DropTenantColumn(this MigrationBuilder migration, string table) =>
        migration.DropColumn(Column, table);
}
