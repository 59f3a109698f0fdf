using System.Runtime.CompilerServices;
using Exit.Workflows.Tenancy;

namespace Exit.Host.Tests.Elsa;

/// <summary>
/// Until the Host enters the signed-in user's municipality per request (and the test assembly's own TestTenancy.cs sets
/// this), the Host's tests run in the first municipality. Tenancy tests name their tenants explicitly. Remove this file
/// when the assembly-wide TestTenancy.cs exists (it sets the same value).
/// </summary>
internal static class ElsaTestTenancy
{
    [ModuleInitializer]
    internal static void UseDefaultTenant() => TenantScope.Fallback ??= TenantIds.Default;
}
