using Exit.Host.Features.Account.Admin;
using Exit.Host.Features.Account.Mfa;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Admin;

/// <summary>
/// Staff users: list with roles and lock state, create, change roles, unlock, reset two-step sign-in. Every action goes
/// through <see cref="UserAdministration"/> / <see cref="UserMfa"/>, the same rules and audit as the admin API.
/// </summary>
public sealed class UsersModel(UserAdministration admin, UserMfa mfa, UiText text) : PageModel
{
    public IReadOnlyList<UserAdministration.UserSummary> Users { get; private set; } = [];
    public UiMessages Messages { get; } = new();

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string[] Roles { get; set; } = [];
    [BindProperty] public string? UserId { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Users = await admin.ListAsync(ct);

    public Task<IActionResult> OnPostCreateAsync([FromForm] string? password, CancellationToken ct) =>
        ActAsync(async () =>
        {
            var user = await admin.CreateAsync(Email, password, Roles);
            Messages.Status = text.Format("admin.users.created", user.Email);
            Email = null;
            Roles = [];
            return true;
        }, ct);

    public Task<IActionResult> OnPostRolesAsync(CancellationToken ct) =>
        ActAsync(async () =>
        {
            if (UserId is null || await admin.SetRolesAsync(User, UserId, Roles) is not { } user) return false;
            Messages.Status = text.Format("admin.users.rolesSaved", user.Email);
            return true;
        }, ct);

    public Task<IActionResult> OnPostUnlockAsync(CancellationToken ct) =>
        ActAsync(async () =>
        {
            if (UserId is null || !await admin.UnlockAsync(UserId)) return false;
            Messages.Status = text["admin.users.unlocked"];
            return true;
        }, ct);

    public Task<IActionResult> OnPostResetMfaAsync(CancellationToken ct) =>
        ActAsync(async () =>
        {
            if (UserId is null || !await mfa.ResetAsync(UserId, ct)) return false;
            Messages.Status = text["admin.users.mfaReset"];
            return true;
        }, ct);

    /// <summary>Runs an action and shows the list again: 400 with the reasons when refused, 404 when the user does not exist.</summary>
    private async Task<IActionResult> ActAsync(Func<Task<bool>> action, CancellationToken ct)
    {
        try
        {
            if (!await action())
            {
                Messages.Errors.Add(text["admin.users.notFound"]);
                Response.StatusCode = StatusCodes.Status404NotFound;
            }
        }
        catch (AdminRefusedException e)
        {
            Messages.Errors.AddRange(e.Failures.Select(f => AdminFailures.Text(text, f)));
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        Users = await admin.ListAsync(ct);
        return Page();
    }
}
