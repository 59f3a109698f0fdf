namespace Exit.Activities.Cti.Domain;

/// <summary>
/// A CTI course (CTI-forløb): a contact period, then three phases of equal length, run in order.
/// Every change takes the current time as an argument (from the caller's TimeProvider) so behaviour is
/// deterministic and replayable. Rule breaches throw <see cref="CtiRuleViolation"/>.
/// </summary>
public sealed class Course
{
    /// <summary>How long the worker has to follow up a missed meeting, in calendar days.</summary>
    public const int FollowUpDays = 2;

    private readonly List<WorkerAssignment> _assignments = [];
    private readonly List<CoursePause> _pauses = [];
    private readonly Dictionary<CoursePeriod, FocusAreaSelection> _focusAreas = [];
    private readonly List<ActivityPlanItem> _activities = [];
    private readonly List<SupportNetworkMember> _network = [];
    private readonly List<RhythmChange> _rhythmChanges = [];

    private Course(CourseId id, CitizenId citizenId, CourseGoal goal, CoursePlanSettings settings, CourseSchedule schedule)
    {
        Id = id;
        CitizenId = citizenId;
        Goal = goal;
        Settings = settings;
        Schedule = schedule;
    }

    public CourseId Id { get; }

    public CitizenId CitizenId { get; }

    public CourseGoal Goal { get; private set; }

    public CoursePlanSettings Settings { get; private set; }

    public CourseSchedule Schedule { get; private set; }

    public CourseStatus Status { get; private set; } = CourseStatus.ContactPeriod;

    /// <summary>The period the course is in (or was in when paused, completed or cancelled).</summary>
    public CoursePeriod CurrentPeriod { get; private set; } = CoursePeriod.ContactPeriod;

    public CancellationReason? CancellationReason { get; private set; }

    public DateTimeOffset StartDate => Schedule.CourseStart;

    public WorkerId ResponsibleWorkerId => _assignments[^1].WorkerId;

    public IReadOnlyList<WorkerAssignment> Assignments => _assignments;

    public IReadOnlyList<CoursePause> Pauses => _pauses;

    public IReadOnlyDictionary<CoursePeriod, FocusAreaSelection> FocusAreas => _focusAreas;

    public IReadOnlyList<ActivityPlanItem> Activities => _activities;

    public IReadOnlyList<SupportNetworkMember> Network => _network;

    /// <summary>The named network member who takes over responsibility in phase 3, once agreed.</summary>
    public Guid? HandoverRecipientId { get; private set; }

    /// <summary>How and when the course ended early (or instead of completing phase 3), if it did.</summary>
    public CourseEnding? Ending { get; private set; }

    /// <summary>Changes the worker made to the contact rhythm for this citizen, oldest first.</summary>
    public IReadOnlyList<RhythmChange> RhythmChanges => _rhythmChanges;

    /// <summary>How the course counts in reports: completed, dropped out, ended at the clarification, or running.</summary>
    public CourseOutcome Outcome => Status switch
    {
        CourseStatus.Completed => CourseOutcome.Completed,
        CourseStatus.Cancelled when Ending is { InPeriod: CoursePeriod.ContactPeriod } => CourseOutcome.EndedAtClarification,
        CourseStatus.Cancelled => CourseOutcome.DroppedOut,
        _ => CourseOutcome.Running,
    };

    public bool IsEnded => Status is CourseStatus.Completed or CourseStatus.Cancelled;

    /// <summary>Starts a course in its contact period at <paramref name="start"/>.</summary>
    public static Course Start(
        CourseId id,
        CitizenId citizenId,
        WorkerId worker,
        CourseGoal goal,
        DateTimeOffset start,
        CoursePlanSettings? settings = null)
    {
        settings ??= CoursePlanSettings.Default;
        var course = new Course(id, citizenId, goal, settings, CourseSchedule.Plan(start, settings));
        course._assignments.Add(new WorkerAssignment(worker, start, null, null));
        return course;
    }

    /// <summary>Rebuilds a course from stored state; focus areas are re-validated.</summary>
    public static Course Restore(CourseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Assignments.Count == 0 || state.Assignments.Take(state.Assignments.Count - 1).Any(a => a.IsCurrent))
        {
            throw new ArgumentException("A course has at least one assignment and only the last is current.", nameof(state));
        }

        var course = new Course(state.Id, state.CitizenId, state.Goal, state.Settings, CourseSchedule.Restore(state.Periods))
        {
            Status = state.Status,
            CurrentPeriod = state.CurrentPeriod,
            CancellationReason = state.CancellationReason,
            HandoverRecipientId = state.HandoverRecipientId,
            Ending = state.Ending,
        };
        course._rhythmChanges.AddRange(state.RhythmChanges ?? []);
        course._assignments.AddRange(state.Assignments);
        course._pauses.AddRange(state.Pauses);
        foreach (var (phase, areas) in state.FocusAreas)
        {
            course._focusAreas[phase] = FocusAreaSelection.Create(areas);
        }

        course._activities.AddRange(state.Activities);
        course._network.AddRange(state.Network);
        return course;
    }

    public CourseState ToState() => new(
        Id,
        CitizenId,
        Goal,
        Settings,
        Schedule.Periods.ToList(),
        Status,
        CurrentPeriod,
        CancellationReason,
        _assignments.ToList(),
        _pauses.ToList(),
        _focusAreas.ToDictionary(p => p.Key, p => (IReadOnlyList<FocusArea>)p.Value.Areas.ToList()),
        _activities.ToList(),
        _network.ToList(),
        HandoverRecipientId,
        Ending,
        _rhythmChanges.ToList());

    /// <summary>The citizen may change their goal (exit, or improve the life situation) along the way.</summary>
    public void ChangeGoal(CourseGoal goal)
    {
        EnsureNotEnded();
        Goal = goal;
    }

    /// <summary>
    /// Moves the course into the next phase, ending the current period now. Phases run in order and none
    /// is skipped: phase 3 activates the network that carries the citizen after the course.
    /// </summary>
    public void StartPhase(CoursePeriod phase, DateTimeOffset now)
    {
        EnsureRunning();
        if (phase != CurrentPeriod + 1 || !Enum.IsDefined(phase))
        {
            throw new CtiRuleViolation(
                CtiRules.PhasesInOrder,
                $"Cannot start {phase} while the course is in {CurrentPeriod}: CTI phases run in order and none may be skipped; the next one is {Describe(CurrentPeriod + 1)}.");
        }

        EnsureNotBefore(Schedule[CurrentPeriod].EffectiveStart, now);
        Schedule = Schedule.Advance(CurrentPeriod, now);
        CurrentPeriod = phase;
        Status = StatusOf(phase);
    }

    /// <summary>Ends the course after phase 3 (possibly early, when the citizen reached their goals).</summary>
    public void Complete(DateTimeOffset now)
    {
        EnsureRunning();
        if (CurrentPeriod != CoursePeriod.Phase3)
        {
            throw new CtiRuleViolation(
                CtiRules.CompleteFromPhase3,
                $"A course can only be completed from Phase3, it is in {CurrentPeriod}: all three phases are run, even when goals are reached early.");
        }

        EnsureNotBefore(Schedule[CurrentPeriod].EffectiveStart, now);
        Schedule = Schedule.Finish(CurrentPeriod, now);
        Status = CourseStatus.Completed;
    }

    /// <summary>Ends the course without completing it (the citizen withdrew, moved, contact was lost).</summary>
    public void Cancel(CancellationReason reason, DateTimeOffset now)
    {
        EnsureNotEnded();
        CloseOpenPause(now);
        Schedule = Schedule.Finish(CurrentPeriod, now);
        CancellationReason = reason;
        Status = CourseStatus.Cancelled;
    }

    /// <summary>
    /// Ends the course at any time with a reason, dated <paramref name="endedOn"/> (today or earlier, not before the
    /// running period began). "Goal reached" counts as completed; any other reason as ended early. This is also how
    /// phase 3 may close before its planned end without the handover agreement.
    /// </summary>
    public CourseEnding End(EndingReason reason, DateTimeOffset endedOn, DateTimeOffset now, string? by)
    {
        EnsureNotEnded();
        if (!Enum.IsDefined(reason))
        {
            throw new CtiRuleViolation(CtiRules.EndingReasonUnknown, $"Unknown ending reason {reason}.");
        }

        if (endedOn > now)
        {
            throw new CtiRuleViolation(CtiRules.EndingInFuture, "A course cannot be ended on a date that has not come yet.");
        }

        if (endedOn < Schedule[CurrentPeriod].EffectiveStart)
        {
            throw new CtiRuleViolation(CtiRules.TimeGoesForward, "The ending date lies before the running period began.");
        }

        if (_pauses.Count > 0 && _pauses[^1].IsOpen)
        {
            _pauses[^1] = _pauses[^1] with { To = endedOn < _pauses[^1].From ? _pauses[^1].From : endedOn };
        }

        Schedule = Schedule.Finish(CurrentPeriod, endedOn);
        Ending = new CourseEnding(reason, endedOn, now, by, CurrentPeriod);
        Status = reason == EndingReason.GoalReached ? CourseStatus.Completed : CourseStatus.Cancelled;
        return Ending;
    }

    /// <summary>
    /// Changes the contact rhythm of a period (the current one or a later one) for this citizen. The workflow's
    /// values are only defaults; the guide leaves the rhythm to the citizen's needs.
    /// </summary>
    public RhythmChange ChangeRhythm(CoursePeriod period, ContactCadence cadence, DateTimeOffset now, string? by)
    {
        EnsureNotEnded();
        if (!Enum.IsDefined(period) || !Enum.IsDefined(cadence))
        {
            throw new CtiRuleViolation(CtiRules.RhythmUnknown, "Unknown period or rhythm.");
        }

        if (period < CurrentPeriod)
        {
            throw new CtiRuleViolation(CtiRules.PeriodAlreadyEnded, $"{period} has ended; change the rhythm of the current or a later period.");
        }

        var change = new RhythmChange(period, Settings.CadenceFor(period), cadence, now, by);
        Settings = period switch
        {
            CoursePeriod.ContactPeriod => Settings with { ContactPeriodCadence = cadence },
            CoursePeriod.Phase1 => Settings with { Phase1Cadence = cadence },
            CoursePeriod.Phase2 => Settings with { Phase2Cadence = cadence },
            _ => Settings with { Phase3Cadence = cadence },
        };
        _rhythmChanges.Add(change);
        return change;
    }

    /// <summary>The rhythm a period starts with (from the workflow definition), without recording a change.</summary>
    public void UseDefaultRhythm(CoursePeriod period, ContactCadence cadence)
    {
        if (Settings.CadenceFor(period) == cadence || _rhythmChanges.Any(c => c.Period == period)) return;
        Settings = period switch
        {
            CoursePeriod.ContactPeriod => Settings with { ContactPeriodCadence = cadence },
            CoursePeriod.Phase1 => Settings with { Phase1Cadence = cadence },
            CoursePeriod.Phase2 => Settings with { Phase2Cadence = cadence },
            _ => Settings with { Phase3Cadence = cadence },
        };
    }

    public void Pause(PauseReason reason, DateTimeOffset now)
    {
        EnsureRunning();
        EnsureNotBefore(Schedule[CurrentPeriod].EffectiveStart, now);
        _pauses.Add(new CoursePause(reason, now, null));
        Status = CourseStatus.Paused;
    }

    /// <summary>Resumes a paused course; every planned date not yet reached moves by the paused time.</summary>
    public void Resume(DateTimeOffset now)
    {
        if (Status != CourseStatus.Paused)
        {
            throw new CtiRuleViolation(CtiRules.CourseNotPaused, $"Only a paused course can be resumed; this one is {Status}.");
        }

        var pause = _pauses[^1];
        EnsureNotBefore(pause.From, now);
        CloseOpenPause(now);
        Schedule = Schedule.ShiftRemaining(pause.From, CopenhagenCalendar.WallClockDifference(pause.From, now));
        Status = StatusOf(CurrentPeriod);
    }

    /// <summary>
    /// Hands the course to another worker. The history is kept; handing over open tasks and notifying
    /// the citizen is the caller's job, triggered by the returned assignment.
    /// </summary>
    public WorkerAssignment ReassignWorker(WorkerId newWorker, DateTimeOffset now, string? reason = null)
    {
        EnsureNotEnded();
        var current = _assignments[^1];
        if (current.WorkerId == newWorker)
        {
            throw new CtiRuleViolation(CtiRules.SameWorker, "The course is already assigned to that worker.");
        }

        EnsureNotBefore(current.From, now);
        _assignments[^1] = current with { To = now };
        var next = new WorkerAssignment(newWorker, now, null, reason);
        _assignments.Add(next);
        return next;
    }

    /// <summary>Chooses the focus areas for a phase (often 3–5, see <see cref="FocusAreaSelection"/>); they may differ from phase to phase.</summary>
    public void SetFocusAreas(CoursePeriod phase, IEnumerable<FocusArea> areas)
    {
        EnsureNotEnded();
        EnsureOpenPhase(phase);
        _focusAreas[phase] = FocusAreaSelection.Create(areas);
    }

    public ActivityPlanItem AddActivity(Guid id, string text, FocusArea focusArea, CoursePeriod phase)
    {
        EnsureNotEnded();
        EnsureOpenPhase(phase);
        if (_activities.Any(a => a.Id == id))
        {
            throw new CtiRuleViolation(CtiRules.DuplicateId, "An activity with that id already exists.");
        }

        var item = new ActivityPlanItem(id, RequireText(text), focusArea, phase, ActivityStatus.Planned);
        _activities.Add(item);
        return item;
    }

    public void SetActivityStatus(Guid id, ActivityStatus status)
    {
        EnsureNotEnded();
        var index = _activities.FindIndex(a => a.Id == id);
        if (index < 0)
        {
            throw new CtiRuleViolation(CtiRules.UnknownActivity, "The course has no activity with that id.");
        }

        _activities[index] = _activities[index] with { Status = status };
    }

    public SupportNetworkMember AddNetworkMember(Guid id, NetworkRole role, string? name, string? organisation, string? contact)
    {
        EnsureNotEnded();
        if (_network.Any(m => m.Id == id))
        {
            throw new CtiRuleViolation(CtiRules.DuplicateId, "A network member with that id already exists.");
        }

        var member = new SupportNetworkMember(id, role, Clean(name), Clean(organisation), Clean(contact));
        _network.Add(member);
        return member;
    }

    /// <summary>
    /// Replaces the whole support network (the course page's and the API's edit). Every member names the actor; ids
    /// are unique. A handover recipient who is no longer in the network is no longer the recipient.
    /// </summary>
    public void ReplaceNetwork(IReadOnlyList<SupportNetworkMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        EnsureNotEnded();
        if (members.GroupBy(m => m.Id).Any(g => g.Count() > 1))
            throw new CtiRuleViolation(CtiRules.DuplicateId, "Two network members have the same id.");
        if (members.Count > SupportNetworkMember.MaxMembers)
            throw new CtiRuleViolation(CtiRules.NetworkTooLarge, $"At most {SupportNetworkMember.MaxMembers} network members.");
        var cleaned = members.Select(m => m with
        {
            Name = Clean(m.Name),
            Organisation = Clean(m.Organisation),
            Contact = Clean(m.Contact),
            RoleInPlan = Clean(m.RoleInPlan),
            FocusAreas = m.FocusAreas is { Count: > 0 } areas ? areas.Distinct().ToList() : null,
        }).ToList();
        if (cleaned.Any(m => m.Organisation is null && m.Name is null))
            throw new CtiRuleViolation(CtiRules.NetworkActorRequired, "Each network member names the actor (organisation or role) or a contact person.");
        if (cleaned.Any(m => !Enum.IsDefined(m.Role) || !Enum.IsDefined(m.Status) || (m.FocusAreas?.Any(a => !Enum.IsDefined(a)) ?? false)))
            throw new ArgumentOutOfRangeException(nameof(members), "Unknown kind, status or focus area.");

        _network.Clear();
        _network.AddRange(cleaned);
        if (HandoverRecipientId is { } recipient && _network.All(m => m.Id != recipient))
            HandoverRecipientId = null;
    }

    public void RemoveNetworkMember(Guid id)
    {
        EnsureNotEnded();
        if (_network.RemoveAll(m => m.Id == id) == 0)
        {
            throw new CtiRuleViolation(CtiRules.UnknownNetworkMember, "The course has no network member with that id.");
        }

        if (HandoverRecipientId == id)
        {
            HandoverRecipientId = null;
        }
    }

    /// <summary>Names the network member who takes over responsibility (phase 3's handover).</summary>
    public void DesignateHandoverRecipient(Guid memberId)
    {
        EnsureNotEnded();
        if (_network.All(m => m.Id != memberId))
        {
            throw new CtiRuleViolation(CtiRules.UnknownNetworkMember, "The handover recipient must be a member of the support network.");
        }

        HandoverRecipientId = memberId;
    }

    /// <summary>
    /// Records that the citizen did not turn up. The course is untouched (no sanctions in CTI); the
    /// worker gets a follow-up to re-establish contact.
    /// </summary>
    public FollowUp RecordMissedMeeting(DateTimeOffset meetingAt, DateTimeOffset now)
    {
        EnsureNotEnded();
        return new FollowUp(
            Id,
            ResponsibleWorkerId,
            FollowUpReason.MissedMeeting,
            meetingAt,
            now,
            CopenhagenCalendar.AddDays(now, FollowUpDays),
            "The citizen missed a meeting: get in touch and agree a new time and place.");
    }

    public override string ToString() => $"Course {Id} ({Status})";

    private static CourseStatus StatusOf(CoursePeriod period) => period switch
    {
        CoursePeriod.ContactPeriod => CourseStatus.ContactPeriod,
        CoursePeriod.Phase1 => CourseStatus.Phase1,
        CoursePeriod.Phase2 => CourseStatus.Phase2,
        _ => CourseStatus.Phase3,
    };

    private static string Describe(CoursePeriod next) => next > CoursePeriod.Phase3 ? "completion" : next.ToString();

    private static string RequireText(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? throw new CtiRuleViolation(CtiRules.TextRequired, "An activity needs a description.")
            : text.Trim();

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private void CloseOpenPause(DateTimeOffset now)
    {
        if (_pauses.Count > 0 && _pauses[^1].IsOpen)
        {
            _pauses[^1] = _pauses[^1] with { To = now };
        }
    }

    private void EnsureNotEnded()
    {
        if (IsEnded)
        {
            throw new CtiRuleViolation(CtiRules.CourseNotActive, $"The course is {Status} and can no longer change.");
        }
    }

    private void EnsureRunning()
    {
        EnsureNotEnded();
        if (Status == CourseStatus.Paused)
        {
            throw new CtiRuleViolation(CtiRules.CoursePaused, "The course is paused; resume it first.");
        }
    }

    private void EnsureOpenPhase(CoursePeriod phase)
    {
        if (phase == CoursePeriod.ContactPeriod || !Enum.IsDefined(phase))
        {
            throw new CtiRuleViolation(CtiRules.FocusAreasOnlyForPhases, "Focus areas and activities belong to phase 1, 2 or 3.");
        }

        if (Schedule[phase].HasEnded)
        {
            throw new CtiRuleViolation(CtiRules.PeriodAlreadyEnded, $"{phase} has ended; plan in the current or a later phase.");
        }
    }

    private static void EnsureNotBefore(DateTimeOffset earliest, DateTimeOffset now)
    {
        if (now < earliest)
        {
            throw new CtiRuleViolation(CtiRules.TimeGoesForward, "A change cannot be dated before the state it changes.");
        }
    }
}
