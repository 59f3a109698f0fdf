using System.Text.Json;
using Exit.Activities.Cti.Activities;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.HumanTasks;

namespace Exit.Activities.Cti.Reports;

/// <summary>
/// A clearly marked synthetic cohort for the demo and the benchmark: citizens "Syntetisk borger 0001…" over two teams of
/// synthetic workers, with completed, dropped-out and ongoing courses built through the domain (so every rule holds),
/// evaluations at start, each phase change and the end, logged contacts that taper while coordination grows, pauses,
/// worker changes, handover agreements and monthly supervision. The records are written in bulk, not through workflows:
/// these courses have no workflow instance (<see cref="InstancePrefix"/>) and nobody works on them; they exist so every
/// report figure has data. Deterministic for a seed.
/// </summary>
public static class SyntheticCohort
{
    public const string AliasPrefix = "Syntetisk borger ";
    public const string InstancePrefix = "synthetic-";
    public const string RecordedBy = "syntetiske-data";
    public static readonly string[] Teams = ["Team Nord", "Team Syd"];

    public sealed record Records(
        List<CitizenRecord> Citizens, List<CourseRecord> Courses, List<EvaluationRecord> Evaluations,
        List<ContactRecord> Contacts, List<StaffingRecord> Staffing, List<TaskRecord> Tasks);

    public static string WorkerOf(int team, int index) => $"syntetisk.{(team == 0 ? "nord" : "syd")}{index + 1}@exit.demo";

    public static Records Generate(int citizens, DateTimeOffset now, int seed = 17, int workersPerTeam = 3, double contactDensity = 1.0)
    {
        var random = new Random(seed);
        var records = new Records([], [], [], [], [], []);
        var firstStart = CopenhagenCalendar.AddMonths(now, -30);
        for (var t = 0; t < Teams.Length; t++)
        {
            for (var w = 0; w < workersPerTeam; w++)
            {
                var worker = WorkerOf(t, w);
                var fte = w == workersPerTeam - 1 ? 50 : 100;
                records.Staffing.Add(Staffing(worker, Teams[t], fte, firstStart.AddDays(-60), now));
                if (w == 0) records.Staffing.Add(Staffing(worker, Teams[t], 80, CopenhagenCalendar.AddMonths(now, -8), now));
            }
        }

        for (var i = 0; i < citizens; i++)
        {
            var team = i % Teams.Length;
            var worker = WorkerOf(team, random.Next(workersPerTeam));
            var citizenId = Guid.CreateVersion7(firstStart.AddMinutes(i));
            var start = firstStart.AddDays(random.NextDouble() * Math.Max(1, (now - firstStart).TotalDays - 20));
            var goal = random.Next(2) == 0 ? CourseGoal.Exit : CourseGoal.ImproveLifeSituation;
            var course = Course.Start(new CourseId(Guid.CreateVersion7(start)), new CitizenId(citizenId), new WorkerId(worker), goal, start);
            records.Citizens.Add(Citizen(citizenId, i, random, start));

            var fate = random.NextDouble(); // < 0.08 ends at the clarification, < 0.30 drops out somewhere, else runs on
            var dropPhase = fate < 0.30 ? (CoursePeriod)random.Next(1, 4) : (CoursePeriod?)null;
            var evaluations = new List<Evaluation>();
            var contacts = new List<Contact>();
            var who5 = Math.Clamp((int)(38 + Gaussian(random) * 14), 0, 100);
            var paidLikely = random.NextDouble() < 0.5;
            var life = Enumerable.Range(0, 10).Select(_ => random.Next(2, 6)).ToArray();
            var at = start.AddDays(random.Next(10, 36));
            AddContacts(course, contacts, start, at < now ? at : now, 5, 0, random, contactDensity, worker);
            if (fate < 0.08 || at >= now)
            {
                if (fate < 0.08 && at < now) course.End(EndingReason.NotMotivatedNow, at, at, RecordedBy);
                Flush(records, course, evaluations, contacts, now);
                continue;
            }

            for (var phase = CoursePeriod.Phase1; phase <= CoursePeriod.Phase3; phase++)
            {
                course.StartPhase(phase, at);
                if (phase == CoursePeriod.Phase1)
                {
                    var areas = Enum.GetValues<FocusArea>().OrderBy(_ => random.Next()).Take(random.Next(3, 6)).ToList();
                    course.SetFocusAreas(CoursePeriod.Phase1, areas);
                    course.SetFocusAreas(CoursePeriod.Phase2, areas.Take(Math.Max(2, areas.Count - random.Next(0, 2))));
                    course.SetFocusAreas(CoursePeriod.Phase3, areas.Take(random.Next(1, 4)));
                }

                var measured = phase == CoursePeriod.Phase1 ? at : at.AddDays(3);
                if (measured < now)
                    evaluations.Add(Measure(course, phase == CoursePeriod.Phase1 ? EvaluationKind.Baseline : EvaluationKind.PhaseChange, measured, who5, paidLikely, (int)phase - 1, life, random));
                var phaseEnd = CopenhagenCalendar.AddMonths(at, 4);
                var stopAt = dropPhase == phase ? at.AddDays(random.Next(15, 100)) : phaseEnd;
                if (phase == CoursePeriod.Phase2 && dropPhase != phase && random.NextDouble() < 0.1 && at.AddDays(40) < now)
                {
                    course.Pause(random.Next(2) == 0 ? PauseReason.Hospitalisation : PauseReason.Prison, at.AddDays(20));
                    course.Resume(at.AddDays(20 + random.Next(7, 30)));
                    phaseEnd = course.Schedule[phase].PlannedEnd;
                    stopAt = dropPhase == phase ? stopAt : phaseEnd;
                }

                if (random.NextDouble() < 0.04 && at.AddDays(30) < now && stopAt > at.AddDays(30))
                {
                    worker = WorkerOf(team, (Array.IndexOf(Enumerable.Range(0, workersPerTeam).Select(w => WorkerOf(team, w)).ToArray(), worker) + 1) % workersPerTeam);
                    course.ReassignWorker(new WorkerId(worker), at.AddDays(30), "syntetisk: medarbejderskift");
                }

                var (citizenEvery, coordinationEvery) = phase switch { CoursePeriod.Phase1 => (7, 28), CoursePeriod.Phase2 => (14, 16), _ => (28, 10) };
                AddContacts(course, contacts, at, Min(stopAt, now), citizenEvery, coordinationEvery, random, contactDensity, worker);
                if (stopAt >= now) break;
                if (dropPhase == phase)
                {
                    var reasons = new[] { EndingReason.LostContact, EndingReason.CitizenDeclined, EndingReason.MovedAway, EndingReason.Other };
                    course.End(reasons[random.Next(reasons.Length)], stopAt, stopAt, RecordedBy);
                    break;
                }

                if (phase == CoursePeriod.Phase3)
                {
                    course.Complete(phaseEnd);
                    evaluations.Add(Measure(course, EvaluationKind.Final, phaseEnd, who5, paidLikely, 3, life, random));
                    var lead = random.NextDouble() < 0.8 ? random.Next(32, 60) : random.Next(5, 25);
                    records.Tasks.Add(CompletedTask(CtiTaskKinds.NetworkAgreement, "Aftale med netværket", course.Id, worker, phaseEnd.AddDays(-lead)));
                }

                at = phaseEnd;
            }

            Flush(records, course, evaluations, contacts, now);
        }

        // Supervision: one group session a month per team (a few months missed), recorded on one of the team's courses.
        for (var t = 0; t < Teams.Length; t++)
        {
            var teamCourses = records.Courses.Where(c => c.ResponsibleWorker.Contains(t == 0 ? ".nord" : ".syd", StringComparison.Ordinal)).ToList();
            if (teamCourses.Count == 0) continue;
            for (var m = CopenhagenCalendar.AddMonths(now, -24); m < now; m = CopenhagenCalendar.AddMonths(m, 1))
            {
                if (random.NextDouble() < 0.12) continue;
                var on = Guid.Parse(teamCourses[random.Next(teamCourses.Count)].Id);
                records.Tasks.Add(CompletedTask(CtiTaskKinds.Supervision, "Supervision", new CourseId(on), $"supervisor.{t}@exit.demo", m.AddDays(random.Next(0, 20))));
            }
        }

        return records;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    /// <summary>A measurement that improves with each phase (WHO-5 up, paid for sex down, life areas up), with noise.</summary>
    private static Evaluation Measure(Course course, EvaluationKind kind, DateTimeOffset at, int who5Start, bool paidLikely, int step, int[] lifeStart, Random r)
    {
        var score = Math.Clamp(who5Start + step * 8 + (int)(Gaussian(r) * 6), 0, 100) / 4;
        var items = new int[5];
        for (var i = 0; i < 5; i++) items[i] = Math.Clamp(score / 5 + (i < score % 5 ? 1 : 0), 0, 5);
        var paid = paidLikely && r.NextDouble() < (step switch { 0 => 1.0, 1 => 0.7, 2 => 0.55, _ => 0.4 });
        var life = lifeStart.Select(v => Math.Clamp(v + (int)Math.Round(step * (0.3 + r.NextDouble() * 0.6)), 1, 10)).ToArray();
        var declined = r.NextDouble() < 0.04;
        return new Evaluation(course.Id, kind, at, Who5.FromItems(items),
            declined ? null : new PaidForSexLastMonth(paid ? (r.Next(2) == 0 ? SexSaleFrequency.Weekly : SexSaleFrequency.Several) : SexSaleFrequency.None),
            LifeSituationRating.FromSteps(life));
    }

    private static void AddContacts(Course course, List<Contact> contacts, DateTimeOffset from, DateTimeOffset to, int citizenEvery, int coordinationEvery, Random r, double density, string worker)
    {
        if (to <= from) return;
        for (var at = from.AddDays(r.Next(1, 4)); at < to; at = at.AddDays(Math.Max(1, (int)((citizenEvery + r.Next(-2, 3)) / density))))
            contacts.Add(Contact(course, r.Next(4) == 0 ? ContactKind.Phone : ContactKind.InPerson, at, worker));
        if (coordinationEvery == 0) return;
        for (var at = from.AddDays(r.Next(2, 8)); at < to; at = at.AddDays(Math.Max(1, (int)((coordinationEvery + r.Next(-2, 3)) / density))))
            contacts.Add(Contact(course, ContactKind.Coordination, at, worker));
    }

    private static Contact Contact(Course course, ContactKind kind, DateTimeOffset at, string worker) =>
        new(Guid.CreateVersion7(at), 1, course.Id, kind, at, kind == ContactKind.Coordination ? 30 : 60, ContactPlace.Office, [worker], [], [], null, RecordedBy, at);

    private static void Flush(Records records, Course course, List<Evaluation> evaluations, List<Contact> contacts, DateTimeOffset now)
    {
        var state = course.ToState();
        records.Courses.Add(new CourseRecord
        {
            Id = course.Id.ToString(), CitizenId = course.CitizenId.ToString(), InstanceId = InstancePrefix + course.Id,
            ResponsibleWorker = course.ResponsibleWorkerId.Value, Status = course.Status.ToString(), CurrentPeriod = course.CurrentPeriod.ToString(),
            StartDate = course.StartDate, PlannedEnd = course.Schedule.End, StateJson = CourseJson.Serialize(state), Version = 1, UpdatedAt = now,
        });
        foreach (var e in evaluations)
        {
            records.Evaluations.Add(new EvaluationRecord
            {
                Id = Guid.CreateVersion7(e.Date).ToString(), CourseId = e.CourseId.ToString(), Kind = e.Kind.ToString(), Date = e.Date,
                Who5ItemsJson = e.Who5 is { } w ? JsonSerializer.Serialize(w.Items) : null, Who5Score = e.Who5?.Score,
                PaidForSexFrequency = e.PaidForSex?.Frequency.ToString(),
                LifeSituationJson = e.LifeSituation is { } l ? JsonSerializer.Serialize(l.Ratings.ToDictionary(p => p.Key.ToString(), p => p.Value)) : null,
                LifeSituationTotal = e.LifeSituation?.Total, RecordedBy = RecordedBy,
            });
        }

        records.Contacts.AddRange(contacts.Select(ContactRows.ToRecord));
    }

    private static CitizenRecord Citizen(Guid id, int i, Random r, DateTimeOffset created) => new()
    {
        Id = id.ToString(), Alias = AliasPrefix + (i + 1).ToString("0000", System.Globalization.CultureInfo.InvariantCulture), CreatedAt = created,
        AgeBand = Pick<AgeBand>(r), Gender = r.NextDouble() < 0.85 ? nameof(Gender.Woman) : Pick<Gender>(r), ProstitutionForm = Pick<ProstitutionForm>(r),
        MainIncome = Pick<MainIncome>(r), Debt = r.NextDouble() < 0.8 ? nameof(YesNo.Yes) : Pick<YesNo>(r), MentalHealth = Pick<YesNo>(r),
        SubstanceUse = Pick<YesNo>(r), InterpreterNeeded = r.NextDouble() < 0.2 ? null : Pick<YesNo>(r),
    };

    private static string? Pick<T>(Random r) where T : struct, Enum
    {
        var values = Enum.GetNames<T>();
        return r.NextDouble() < 0.1 ? null : values[r.Next(values.Length)];
    }

    private static StaffingRecord Staffing(string worker, string team, int fte, DateTimeOffset from, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid().ToString(),
        WorkerId = worker, Team = team, FtePercent = fte, ValidFrom = from, RecordedBy = RecordedBy, RecordedAt = now,
    };

    private static TaskRecord CompletedTask(string kind, string title, CourseId course, string by, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(at).ToString(), Title = title, Kind = kind, Assignee = by, CorrelationId = course.ToString(),
        InstanceId = InstancePrefix + course, ActivityInstanceId = InstancePrefix + "activity", ActivityId = InstancePrefix + "activity",
        BookmarkKey = InstancePrefix + Guid.CreateVersion7(at), DueAt = at, DueOrder = TaskRecord.DueOrderOf(at), Status = HumanTaskStatus.Completed,
        AllowedOutcomesJson = "[\"Done\"]", Outcome = "Done", CreatedAt = at.AddDays(-7), CompletedAt = at, CompletedBy = by,
    };

    /// <summary>Writes the records in one transaction per store (bulk; no workflow runs).</summary>
    public static async Task SeedAsync(Records records, CtiDbContextFactory cti, TaskDbContextFactory tasks, CancellationToken ct)
    {
        await using (var db = cti.Create())
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Citizens.AddRange(records.Citizens);
            db.Courses.AddRange(records.Courses);
            db.Evaluations.AddRange(records.Evaluations);
            db.Contacts.AddRange(records.Contacts);
            db.Staffing.AddRange(records.Staffing);
            await db.SaveChangesAsync(ct);
        }

        await using var taskDb = tasks.Create();
        taskDb.ChangeTracker.AutoDetectChangesEnabled = false;
        taskDb.Tasks.AddRange(records.Tasks);
        await taskDb.SaveChangesAsync(ct);
    }
}
