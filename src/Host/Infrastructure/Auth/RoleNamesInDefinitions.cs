using Exit.Activities.Cti.Activities;
using Exit.Workflows.Definitions;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// Role names written in workflow definitions are the application's role names (<see cref="ExitRoles.All"/>), one
/// list: a definition naming any other role is refused at publish with a named problem, because a task for a role
/// nobody holds is seen by nobody. <c>Exit.HumanTask</c>'s role gets its rule and Studio dropdown from
/// <c>AddHumanTasks(o =&gt; o.Roles = …)</c>; the CTI supervision activity's role is checked here.
/// </summary>
public static class RoleNamesInDefinitions
{
    public static IServiceCollection AddRoleNamesInDefinitions(this IServiceCollection services) =>
        services.AddSingleton<IInputValueRule>(new AllowedValuesRule(RaiseSupervision.TypeName, "supervisorRole", ExitRoles.All, "role"));
}
