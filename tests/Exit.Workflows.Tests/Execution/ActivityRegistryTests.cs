using Exit.Workflows.Execution;
using Xunit;

namespace Exit.Workflows.Tests.Execution;

/// <summary>The newest version of an activity type, which the registry keeps once asked for, follows later registrations.</summary>
public sealed class ActivityRegistryTests
{
    [Fact]
    public void FindLatest_GivesTheNewestVersion_AlsoOneRegisteredAfterItWasAskedFor()
    {
        var v1 = new ActivityDescriptor { TypeName = "Test.Versioned", Version = 1, Category = "Test", DisplayName = "v1" };
        var registry = new ActivityRegistry([v1]);

        Assert.Same(v1, registry.FindLatest("Test.Versioned"));
        Assert.Null(registry.FindLatest("Test.Unknown"));

        var v2 = v1 with { Version = 2, DisplayName = "v2" };
        registry.Register(v2);
        registry.Register(v1 with { TypeName = "Test.Unknown" });

        Assert.Same(v2, registry.FindLatest("Test.Versioned"));
        Assert.Equal("Test.Unknown", registry.FindLatest("Test.Unknown")?.TypeName);
    }
}
