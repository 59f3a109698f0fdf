using Exit.Bench;
using Exit.Workflows.Tenancy;

// The benchmark is a single-municipality embedder: everything it starts and measures runs in the first municipality.
TenantScope.Fallback = TenantIds.Default;

// The report queries are their own phase (issue 9): `-- reports [--citizens N]`.
if (args is ["reports", ..]) return await ReportsBench.RunAsync(args[1..]);

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    if (e.Message != "help") Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return e.Message == "help" ? 0 : 2;
}

#if DEBUG
Console.Error.WriteLine("WARNING: Debug build; measure with -c Release.");
#endif

var run = new BenchRun(options);
try
{
    await run.RunAsync();
}
finally
{
    run.Cleanup();
}
return 0;
