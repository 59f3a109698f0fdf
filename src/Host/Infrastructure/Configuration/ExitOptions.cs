namespace Exit.Host.Infrastructure.Configuration;

/// <summary>Settings under "Exit" in appsettings.json or environment variables (Exit__Database__Provider…).</summary>
public sealed class ExitOptions
{
    public DatabaseSettings Database { get; set; } = new();

    /// <summary>Zone for calendar arithmetic (phase months, due dates).</summary>
    public string TimeZone { get; set; } = "Europe/Copenhagen";

    /// <summary>Folder of Elsa JSON definitions imported and published at start-up; relative to the app folder.</summary>
    public string DefinitionsFolder { get; set; } = "workflow-definitions";

    /// <summary>Create demo users and courses (the run command's --demo option sets it).</summary>
    public bool Demo { get; set; }

    /// <summary>
    /// With <see cref="Demo"/>: also start example instances and CTI courses on an empty database. Browser tests
    /// keep the demo users but turn this off, so the data they assert on is only their own.
    /// </summary>
    public bool DemoData { get; set; } = true;

    /// <summary>
    /// Which optional days off count as non-working for due dates (Exit:WorkingDays:ConstitutionDayOff,
    /// …:ChristmasEveOff, …:NewYearsEveOff; all true by default). Public holidays are computed.
    /// </summary>
    public Exit.Activities.Cti.Domain.WorkingDayOptions WorkingDays { get; set; } = new();
}

public sealed class DatabaseSettings
{
    /// <summary>"Sqlite" (embedded default), "Postgres" or "SqlServer" (see README, "SQL Server").</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>For SQLite, a file path is enough; it is created on first run.</summary>
    public string? SqlitePath { get; set; } = "data/exit.db";

    /// <summary>Full connection string; overrides <see cref="SqlitePath"/>.</summary>
    public string? ConnectionString { get; set; }
}
