using System.Runtime.CompilerServices;
using Exit.Workflows.Tenancy;

namespace Exit.Activities.Tests;

/// <summary>
/// The tests written before municipalities run in municipality <c>default</c>, as a database from before tenancy does.
/// Tenancy tests enter explicit municipalities (and at least one other than <c>default</c>), so a forgotten scope
/// still shows up there.
/// </summary>
internal static class TestTenancy
{
    [ModuleInitializer]
    internal static void UseDefaultMunicipality() => TenantScope.Fallback = TenantIds.Default;
}
