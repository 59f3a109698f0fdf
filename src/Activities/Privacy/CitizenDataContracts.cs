namespace Exit.Activities.Privacy;

/// <summary>One course of a citizen and the workflow instance that runs it.</summary>
public sealed record CourseRef(string CourseId, string InstanceId, bool Ended, DateTimeOffset? EndedAt);

/// <summary>
/// What an erasure or an export covers: a citizen and some (retention: one ended course) or all of their courses.
/// <see cref="WholeCitizen"/> says whether the citizen's own records go too (erasure on request; retention once the
/// citizen has nothing else left).
/// </summary>
public sealed record CitizenDataScope(string CitizenId, IReadOnlyList<CourseRef> Courses, bool WholeCitizen)
{
    public IReadOnlyList<string> CourseIds => [.. Courses.Select(c => c.CourseId)];
    public IReadOnlyList<string> InstanceIds => [.. Courses.Select(c => c.InstanceId)];
}

/// <summary>
/// Deletes one module's records about a citizen for erasure on request and for retention. Each module that stores
/// citizen data (CTI, tasks, the workflow store; contacts, network, intake when they come) implements this for its own
/// tables, so a new table plugs in by registering one more eraser. Deletion, not a flag: a soft delete is no deletion
/// (cti-method.md, Privacy and law).
/// </summary>
public interface ICitizenDataEraser
{
    /// <summary>Short module name for the receipt ("cti", "tasks", "workflow").</summary>
    string Module { get; }

    /// <returns>How many records were deleted.</returns>
    Task<int> EraseAsync(CitizenDataScope scope, CancellationToken ct);
}

/// <summary>One module's records about a citizen as readable sections (GDPR art. 15): Danish labels, no staff identities.</summary>
public interface ICitizenDataExporter
{
    /// <summary>Lower comes first in the document.</summary>
    int Order { get; }

    Task<IReadOnlyList<CitizenDataSection>> ExportAsync(CitizenDataScope scope, CancellationToken ct);
}

/// <summary>Finds a citizen and their courses; the CTI module owns this knowledge.</summary>
public interface ICitizenScopeResolver
{
    /// <returns>Null when there is no such citizen.</returns>
    Task<CitizenDataScope?> ResolveAsync(string citizenId, CancellationToken ct);

    /// <summary>Ended courses whose end lies before <paramref name="endedBefore"/>.</summary>
    Task<IReadOnlyList<(string CitizenId, CourseRef Course)>> EndedCoursesAsync(DateTimeOffset endedBefore, CancellationToken ct);

    /// <summary>Citizens registered before <paramref name="createdBefore"/> who never had a course (enquiries that led nowhere).</summary>
    Task<IReadOnlyList<string>> CitizensWithoutCoursesAsync(DateTimeOffset createdBefore, CancellationToken ct);
}

/// <summary>A titled part of the document, e.g. "Forløb", with one record per course.</summary>
public sealed record CitizenDataSection(string Title, IReadOnlyList<CitizenDataRecord> Records);

/// <summary>One thing held (a course, a task, an evaluation) as label/value pairs.</summary>
public sealed record CitizenDataRecord(string Heading, IReadOnlyList<CitizenDataField> Fields);

/// <param name="CodePrefix">When set, <paramref name="Value"/> is a code the document translates (UiText keys such as <c>status.</c>, <c>focus.</c>).</param>
public sealed record CitizenDataField(string Label, string? Value, string? CodePrefix = null);
