using System.Runtime.CompilerServices;
using Exit.Workflows.Tenancy;

namespace Exit.Host.Tests;

/// <summary>
/// Tests written before municipalities seed and read outside any request (directly through the stores), so this test
/// assembly falls back to the first municipality. The Host itself never sets a fallback (a forgotten scope fails closed);
/// tenancy tests enter explicit municipalities, always including a non-default one.
/// </summary>
internal static class TestTenancy
{
    [ModuleInitializer]
    internal static void FallBackToTheFirstMunicipality() => TenantScope.Fallback = TenantIds.Default;
}
