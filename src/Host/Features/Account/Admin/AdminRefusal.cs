using Exit.Host.Infrastructure;

namespace Exit.Host.Features.Account.Admin;

/// <summary>
/// One reason an admin action was refused: the field, a stable code (the pages show it in Danish by that code), the
/// API's English message, and the roles it concerns (role codes, named in the user's language by the pages).
/// </summary>
public sealed record AdminFailure(string Field, string Code, string Message, IReadOnlyList<string>? Roles = null);

/// <summary>
/// Thrown by <see cref="UserAdministration"/> and <see cref="ApiKeyAdministration"/> when an action breaks a rule;
/// nothing has been stored. The API answers 400 naming each field (<see cref="ToValidation"/>), the pages show the
/// failures in Danish.
/// </summary>
public sealed class AdminRefusedException(IReadOnlyList<AdminFailure> failures)
    : Exception("Refused: " + string.Join("; ", failures.Select(f => $"{f.Field}: {f.Message}")))
{
    public IReadOnlyList<AdminFailure> Failures { get; } = failures;

    public RequestValidationException ToValidation() => new(Failures.Select(f => new ValidationFailure(f.Field, f.Message)).ToList());
}
