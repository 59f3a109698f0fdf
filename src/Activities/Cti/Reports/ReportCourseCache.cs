using System.Collections.Concurrent;
using System.Text.Json;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;

namespace Exit.Activities.Cti.Reports;

/// <summary>
/// The courses as the reports last read them, keyed by course id and row version, with the course's evaluations and
/// logged contacts (kind and time) once a report has read them. The course row's version goes up with every save of the
/// course and with every contact or evaluation committed for it, in the same transaction (<see cref="CtiCommitParticipant"/>),
/// so a cached course is used only while its row is unchanged and a report never shows older data than the database
/// holds. A load then reads only the id and version of every course, and the JSON, evaluations and contacts of the
/// courses changed since the last load (all of them on the first).
/// <para>
/// The courses are restored without their activity plan and support network (the reports use neither), so the cache
/// holds no network member's details and no note. A course no load has seen for <see cref="Unseen"/> (erased, or of a
/// tenant nobody reports on) is dropped at the next load.
/// </para>
/// </summary>
public sealed class ReportCourseCache
{
    public static readonly TimeSpan Unseen = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, CachedCourse> _courses = new(StringComparer.Ordinal);
    private long _lastSweep = Environment.TickCount64;

    public int Count => _courses.Count;

    /// <summary>The cached course if its version is <paramref name="version"/>.</summary>
    public CachedCourse? Get(string id, long version)
    {
        if (!_courses.TryGetValue(id, out var entry) || entry.Version != version) return null;
        entry.SeenAt = Environment.TickCount64;
        return entry;
    }

    /// <summary>Restores a course row's JSON (activities and network left out) and keeps it for its version, without evaluations or contacts yet.</summary>
    public CachedCourse Add(string id, long version, string stateJson)
    {
        var entry = new CachedCourse(version, Restore(stateJson));
        _courses[id] = entry;
        return entry;
    }

    /// <summary>Drops the courses no load has seen for <see cref="Unseen"/>; at most once a minute.</summary>
    public void Sweep()
    {
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _lastSweep) < 60_000) return;
        Interlocked.Exchange(ref _lastSweep, now);
        foreach (var (id, entry) in _courses)
        {
            if (now - entry.SeenAt > Unseen.TotalMilliseconds) _courses.TryRemove(id, out _);
        }
    }

    /// <summary>A course as the reports read it: every part but the activity plan and the support network.</summary>
    public static Course Restore(string stateJson)
    {
        var s = JsonSerializer.Deserialize<ReportCourseState>(stateJson, CourseJson.Options) ?? throw new JsonException("Empty course state.");
        return Course.Restore(new CourseState(
            s.Id, s.CitizenId, s.Goal, s.Settings, s.Periods, s.Status, s.CurrentPeriod, s.CancellationReason, s.Assignments, s.Pauses,
            s.FocusAreas, Activities: [], Network: [], s.HandoverRecipientId, s.Ending, s.RhythmChanges));
    }

    /// <summary><see cref="CourseState"/> without the activity plan and network: the JSON reader skips them.</summary>
    private sealed record ReportCourseState(
        CourseId Id,
        CitizenId CitizenId,
        CourseGoal Goal,
        CoursePlanSettings Settings,
        IReadOnlyList<PeriodSchedule> Periods,
        CourseStatus Status,
        CoursePeriod CurrentPeriod,
        CancellationReason? CancellationReason,
        IReadOnlyList<WorkerAssignment> Assignments,
        IReadOnlyList<CoursePause> Pauses,
        IReadOnlyDictionary<CoursePeriod, IReadOnlyList<FocusArea>> FocusAreas,
        Guid? HandoverRecipientId,
        CourseEnding? Ending = null,
        IReadOnlyList<RhythmChange>? RhythmChanges = null);
}

/// <summary>
/// One course at one row version, as the reports read it: the course, and its evaluations and latest contact revisions
/// once a report that uses them has read them (null until then). All three belong to the same row version.
/// </summary>
public sealed class CachedCourse(long version, Course course)
{
    public long Version { get; } = version;

    public Course Course { get; } = course;

    public IReadOnlyList<Evaluation>? Evaluations { get; set; }

    public IReadOnlyList<ReportContact>? Contacts { get; set; }

    internal long SeenAt { get; set; } = Environment.TickCount64;
}
