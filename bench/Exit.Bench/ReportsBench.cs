using System.Diagnostics;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.Cti.Reports;
using Exit.Activities.HumanTasks;
using Microsoft.EntityFrameworkCore;

namespace Exit.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Exit.Bench -- reports [--citizens N] [--density D] [--runs R]</c>: the outcome
/// and fidelity report queries on a SQLite file holding a synthetic cohort (default 10,000 citizens and about 100,000
/// contacts), each report loaded and computed R times; prints the median and maximum per report and the load average.
/// Separate from the workflow phases so their figures stay comparable.
/// </summary>
public static class ReportsBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        int citizens = 10_000, runs = 5;
        double density = 0.26;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--citizens": citizens = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--density": density = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        var dir = Path.Combine(Path.GetTempPath(), "exit-bench-reports-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var connection = $"Data Source={Path.Combine(dir, "exit.db")}";
            var cti = new CtiDbContextFactory(new CtiStoreOptions { ConnectionString = connection });
            var tasks = new TaskDbContextFactory(new HumanTaskStoreOptions { ConnectionString = connection });
            await using (var db = cti.Create()) await db.Database.MigrateAsync();
            await using (var db = tasks.Create()) await db.Database.MigrateAsync();

            var now = TimeProvider.System.GetUtcNow();
            var seed = Stopwatch.StartNew();
            var records = SyntheticCohort.Generate(citizens, now, seed: 42, workersPerTeam: Math.Max(3, citizens / 40), contactDensity: density);
            await SyntheticCohort.SeedAsync(records, cti, tasks, CancellationToken.None);
            Console.WriteLine($"seeded {records.Citizens.Count} citizens, {records.Courses.Count} courses, {records.Contacts.Count} contacts, {records.Evaluations.Count} evaluations in {seed.Elapsed.TotalSeconds:0.0} s");

            var reports = new CtiReports(new ReportData(cti, tasks, new ReportCourseCache()), new CompletedSupervisionTasks(tasks), new ReportOptions(), TimeProvider.System);
            await Measure("outcome report (all)", runs, () => reports.OutcomeAsync(new ReportFilter(), CancellationToken.None));
            await Measure("outcome report (one team, one year)", runs, () => reports.OutcomeAsync(new ReportFilter(Year: now.Year - 1, Team: SyntheticCohort.Teams[0]), CancellationToken.None));
            await Measure("fidelity report (all)", runs, () => reports.FidelityAsync(new ReportFilter(), CancellationToken.None));

            // A restart: an empty cache, warmed as the service does once it has started (ReportCacheWarmUp), then the first reports.
            var restarted = new ReportData(cti, tasks, new ReportCourseCache());
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var warm = Stopwatch.StartNew();
            await restarted.CoursesAsync(ReportParts.All, CancellationToken.None);
            process.Refresh();
            Console.WriteLine($"restart: start-up warm-up of the report cache {warm.Elapsed.TotalMilliseconds:0} ms, {(process.TotalProcessorTime - cpu).TotalMilliseconds:0} CPU-ms (in the background after start)");
            var afterRestart = new CtiReports(restarted, new CompletedSupervisionTasks(tasks), new ReportOptions(), TimeProvider.System);
            await Measure("after restart: outcome report (all)", 0, () => afterRestart.OutcomeAsync(new ReportFilter(), CancellationToken.None));
            await Measure("after restart: fidelity report (all)", 0, () => afterRestart.FidelityAsync(new ReportFilter(), CancellationToken.None));
            Console.WriteLine($"load average: {LoadAverage()}; cores: {Environment.ProcessorCount}");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static async Task Measure<T>(string name, int runs, Func<Task<T>> query)
    {
        var times = new List<double>();
        var cpu = new List<double>();
        var process = Process.GetCurrentProcess();
        for (var i = 0; i < runs + 1; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            await query();
            sw.Stop();
            process.Refresh();
            if (i == 0)
            {
                // The first run warms the caches (the report course cache among them) and is reported on its own.
                Console.WriteLine($"{name}: first run {sw.Elapsed.TotalMilliseconds:0} ms, {(process.TotalProcessorTime - cpuBefore).TotalMilliseconds:0} CPU-ms");
                continue;
            }

            times.Add(sw.Elapsed.TotalMilliseconds);
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }

        if (runs == 0) return;
        times.Sort();
        cpu.Sort();
        // CPU-ms of the whole process (the query's threads and the GC): what compares on a shared, noisy machine.
        Console.WriteLine($"{name}: median {times[times.Count / 2]:0} ms, max {times[^1]:0} ms, median {cpu[cpu.Count / 2]:0} CPU-ms over {runs} runs; load {LoadAverage()}");
    }
}
