using Exit.Host.Features.Account.Admin;
using Exit.Host.Infrastructure.Auth;

namespace Exit.Host.Ui;

/// <summary>The admin services' refusals in the user's language, by their stable codes (the API shows its own English).</summary>
public static class AdminFailures
{
    public static string Text(UiText text, AdminFailure failure)
    {
        var roles = string.Join(", ", (failure.Roles ?? []).Select(r => text.Code("role.", r)));
        var key = "admin.error." + failure.Code;
        if (text[key] != key) return text.Format(key, roles);
        return failure.Field == "password" ? text["admin.error.password"] : text["admin.error.user"];
    }

    /// <summary>The roles a form may offer, in the order of the role table: a municipality's roles, never the national one.</summary>
    public static IReadOnlyList<string> Roles => ExitRoles.Municipal;
}
