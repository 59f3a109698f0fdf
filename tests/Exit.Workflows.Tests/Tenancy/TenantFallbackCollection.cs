using Xunit;

namespace Exit.Workflows.Tests.Tenancy;

/// <summary>Tests that change <c>TenantScope.Fallback</c> run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TenantFallbackCollection
{
    public const string Name = "Tenant fallback";
}
