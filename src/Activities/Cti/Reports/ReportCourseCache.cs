using System.Collections.Concurrent;
using System.Text.Json;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;

namespace Exit.Activities.Cti.Reports;

/// <summary>
/// The courses as the reports last read them, keyed by course id and row version: the course row's version goes up
/// with every save of the course (<see cref="CtiCommitParticipant"/>), so a cached course is used only while its row is
/// unchanged and a report never shows an older course than the database holds. Restoring every course's JSON was the
/// largest part of a report load; with the cache a load reads only the courses changed since the last one.
/// <para>
/// The courses are restored without their activity plan and support network (the reports use neither), so the cache
/// holds no network member's details. A course no load has seen for <see cref="Unseen"/> (erased, or of a tenant nobody
/// reports on) is dropped at the next load.
/// </para>
/// </summary>
public sealed class ReportCourseCache
{
    public static readonly TimeSpan Unseen = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Entry> _courses = new(StringComparer.Ordinal);
    private long _lastSweep = Environment.TickCount64;

    private sealed class Entry(long version, Course course)
    {
        public long Version { get; } = version;
        public Course Course { get; } = course;
        public long SeenAt { get; set; } = Environment.TickCount64;
    }

    public int Count => _courses.Count;

    /// <summary>The cached course if its version is <paramref name="version"/>.</summary>
    public Course? Get(string id, long version)
    {
        if (!_courses.TryGetValue(id, out var entry) || entry.Version != version) return null;
        entry.SeenAt = Environment.TickCount64;
        return entry.Course;
    }

    /// <summary>Restores a course row's JSON (activities and network left out) and keeps it for its version.</summary>
    public Course Add(string id, long version, string stateJson)
    {
        var course = Restore(stateJson);
        _courses[id] = new Entry(version, course);
        return course;
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
