using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Exit.Testing;

/// <summary>Marks a test class (usually a contract-suite subclass) as needing PostgreSQL.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute;

/// <summary>Marks a test class as needing SQL Server (env <c>EXIT_TEST_SQLSERVER</c>); skipped without it, also under CI.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresSqlServerAttribute : Attribute;

/// <summary>
/// A fact that is skipped, visibly, when its class is <see cref="RequiresPostgresAttribute"/> and no PostgreSQL is
/// configured (see <see cref="PostgresTestDatabase.SkipReason"/>). Works on inherited contract tests, so one abstract
/// suite can run against SQLite and PostgreSQL.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Exit.Testing.DatabaseFactDiscoverer", "Exit.Testing")]
public sealed class DatabaseFactAttribute : FactAttribute;

/// <summary>A measurement that only prints; runs when env EXIT_MEASURE=1 (<c>dotnet test --filter Category=Measure</c>).</summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Exit.Testing.DatabaseFactDiscoverer", "Exit.Testing")]
public sealed class MeasureFactAttribute : FactAttribute;

public sealed class DatabaseFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        yield return new DatabaseTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
            discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }

    /// <summary>Decided from the environment each time (also after the runner de-serialises a test case).</summary>
    internal static string? SkipReasonFor(ITestMethod testMethod)
    {
        if (testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute).AssemblyQualifiedName).Any()
            && PostgresTestDatabase.SkipReason is { } postgres)
            return postgres;
        if (testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresSqlServerAttribute).AssemblyQualifiedName).Any()
            && SqlServerTestDatabase.SkipReason is { } sqlServer)
            return sqlServer;
        if (testMethod.Method.GetCustomAttributes(typeof(MeasureFactAttribute).AssemblyQualifiedName).Any()
            && Environment.GetEnvironmentVariable("EXIT_MEASURE") != "1")
            return "Measurement: set EXIT_MEASURE=1 to run.";
        return null;
    }
}

public sealed class DatabaseTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public DatabaseTestCase() { }

    public DatabaseTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method)
        : base(sink, display, options, method)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) =>
        DatabaseFactDiscoverer.SkipReasonFor(TestMethod) ?? base.GetSkipReason(factAttribute);
}
