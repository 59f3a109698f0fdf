using Exit.Host.Features.Account.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Admin;

/// <summary>
/// API keys: list, create (the key is shown once, on the answer to its creation), revoke. Every action goes through
/// <see cref="ApiKeyAdministration"/>: the same owner-role and no-self-grant rules and audit as the admin API.
/// </summary>
public sealed class ApiKeysModel(ApiKeyAdministration keys, UserAdministration users, UiText text) : PageModel
{
    public IReadOnlyList<ApiKeyAdministration.ApiKeySummary> Keys { get; private set; } = [];
    public IReadOnlyList<UserAdministration.UserSummary> Owners { get; private set; } = [];
    public UiMessages Messages { get; } = new();

    /// <summary>The key just created: shown this once, never stored.</summary>
    public string? NewKey { get; private set; }

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string[] Roles { get; set; } = [];
    [BindProperty] public string? OwnerUserId { get; set; }
    [BindProperty] public string? KeyId { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        try
        {
            var created = await keys.CreateAsync(User, Name, Roles, string.IsNullOrEmpty(OwnerUserId) ? null : OwnerUserId, ct);
            NewKey = created.Secret;
            Messages.Status = text.Format("admin.keys.created", created.Key.Name);
            Name = null;
            Roles = [];
            OwnerUserId = null;
        }
        catch (AdminRefusedException e)
        {
            Messages.Errors.AddRange(e.Failures.Select(f => AdminFailures.Text(text, f)));
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(CancellationToken ct)
    {
        if (KeyId is null || !await keys.RevokeAsync(KeyId, ct))
        {
            Messages.Errors.Add(text["admin.keys.notFound"]);
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        else
        {
            Messages.Status = text["admin.keys.revoked"];
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Keys = await keys.ListAsync(ct);
        Owners = await users.ListAsync(ct);
    }
}
