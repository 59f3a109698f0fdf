using System.Globalization;
using Exit.Activities.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.HumanTasks.Privacy;

/// <summary>
/// The citizen's tasks: those of their courses' workflow instances, or correlated with a course id. Erased with their
/// answers and assignment history; exported with title, dates, outcome and answers, never who completed them.
/// </summary>
public sealed class TaskCitizenData(TaskDbContextFactory contexts) : ICitizenDataEraser, ICitizenDataExporter
{
    public string Module => "tasks";

    public int Order => 10;

    public async Task<int> EraseAsync(CitizenDataScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Courses.Count == 0) return 0;
        await using var db = contexts.Create();
        await SecureDelete.EnableAsync(db, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tasks = InScope(db, scope);
        // Assignments first: SQLite does not enforce the cascade unless foreign keys are switched on.
        var removed = await db.Assignments.Where(a => tasks.Any(t => t.Id == a.TaskId)).ExecuteDeleteAsync(ct);
        removed += await tasks.ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return removed;
    }

    public async Task<IReadOnlyList<CitizenDataSection>> ExportAsync(CitizenDataScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Courses.Count == 0) return [new("Opgaver og svar", [])];
        await using var db = contexts.Create();
        var tasks = await InScope(db, scope).AsNoTracking().OrderBy(t => t.CreatedAt).ToListAsync(ct);
        return [new("Opgaver og svar", [.. tasks.Select(t => new CitizenDataRecord(t.Title, [
            new("Type", t.Kind, "kind."), new("Oprettet", Date(t.CreatedAt)), new("Frist", t.DueAt is { } d ? Date(d) : null),
            new("Status", t.Status.ToString(), "taskStatus."), new("Udfald", t.Outcome),
            new("Afsluttet", t.CompletedAt is { } c ? Date(c) : null), .. Answers(t.DataJson)]))])];
    }

    private static IQueryable<TaskRecord> InScope(TaskDbContext db, CitizenDataScope scope)
    {
        var instances = scope.InstanceIds;
        var courses = scope.CourseIds;
        return db.Tasks.Where(t => instances.Contains(t.InstanceId) || (t.CorrelationId != null && courses.Contains(t.CorrelationId)));
    }

    /// <summary>The answers one per field, as text (the stored JSON escapes letters such as ø).</summary>
    private static IEnumerable<CitizenDataField> Answers(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) yield break;
        var node = System.Text.Json.Nodes.JsonNode.Parse(json);
        if (node is System.Text.Json.Nodes.JsonObject answers)
        {
            foreach (var (name, value) in answers)
                yield return new CitizenDataField($"Svar: {name}", Text(value));
        }
        else if (node is not null)
        {
            yield return new CitizenDataField("Svar", Text(node));
        }
    }

    private static string? Text(System.Text.Json.Nodes.JsonNode? value) => value switch
    {
        null => null,
        System.Text.Json.Nodes.JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
    };

    private static string Date(DateTimeOffset at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
