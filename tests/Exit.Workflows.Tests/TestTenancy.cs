using System.Runtime.CompilerServices;
using Exit.Workflows.Tenancy;

namespace Exit.Workflows.Tests;

/// <summary>
/// The runtime's tests from before tenancy run in the first municipality without entering it. Tenancy tests enter their
/// tenants explicitly (and use a non-default one where a forgotten scope would silently fall back); the tests that clear
/// this fallback run alone (<c>TenantFallbackCollection</c>) and put it back.
/// </summary>
internal static class TestTenancy
{
    [ModuleInitializer]
    internal static void UseDefaultTenant() => TenantScope.Fallback = TenantIds.Default;
}
