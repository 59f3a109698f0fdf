using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Auth;
using Exit.Workflows.Definitions;
using Exit.Workflows.Definitions.Templates;
using Exit.Workflows.Persistence;
using Exit.Workflows.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Exit.Host.Features.Templates;

/// <summary>
/// The national template library as a municipality sees it: <c>GET /api/templates</c> lists each template with the
/// version the caller's municipality runs of it (if any), <c>POST /api/templates/{definitionId}/adopt</c> takes the
/// template's newest published version as the municipality's own new version (Studio then edits it like any other).
/// The national role itself works in the library and has nothing to adopt into.
/// </summary>
public static class TemplateEndpoints
{
    public const string Path = "/api/templates";

    public sealed record TemplateItem(string DefinitionId, string Name, string? Description, int TemplateVersion, int? OwnVersion, bool? OwnIsPublished);

    public sealed record AdoptionResult(string DefinitionId, bool Changed, int Version);

    public static RouteGroupBuilder MapTemplateEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithTags("Templates").AddEndpointFilter<ProblemMappingFilter>();
        group.MapGet("/", List).RequireAuthorization(ExitPolicies.ElsaRead)
            .WithName("ListTemplates").WithSummary("The template library and which version of each this municipality runs.");
        group.MapPost("/{definitionId}/adopt", Adopt).RequireAuthorization(ExitPolicies.ElsaWrite)
            .WithName("AdoptTemplate").WithSummary("The template's newest published version becomes this municipality's own new version.");
        return group;
    }

    private static async Task<Ok<List<TemplateItem>>> List(DefinitionTemplates templates, IWorkflowDefinitionStore definitions, CancellationToken ct)
    {
        var items = new List<TemplateItem>();
        foreach (var template in await templates.ListAsync(ct))
        {
            var own = TenantScope.Current == TenantIds.Templates ? null : await definitions.FindAsync(template.DefinitionId, VersionOptions.Latest, ct);
            items.Add(new TemplateItem(template.DefinitionId, template.Name, template.Description, template.Version, own?.Version, own?.IsPublished));
        }
        return TypedResults.Ok(items);
    }

    private static async Task<Results<Ok<AdoptionResult>, ProblemHttpResult>> Adopt(
        string definitionId, DefinitionTemplates templates, CancellationToken ct)
    {
        if (TenantScope.Current == TenantIds.Templates)
            return TypedResults.Problem(title: "Bad Request", statusCode: StatusCodes.Status400BadRequest,
                detail: "The template library adopts nothing: sign in as a municipality's coordinator.");
        try
        {
            var adopted = await templates.AdoptAsync(definitionId, ct);
            return TypedResults.Ok(new AdoptionResult(definitionId, adopted.Status == DefinitionImportStatus.Imported, adopted.Version.Version));
        }
        catch (DefinitionNotFoundException)
        {
            return TypedResults.Problem(title: "Not Found", statusCode: StatusCodes.Status404NotFound, detail: $"No published template '{definitionId}'.");
        }
    }
}
