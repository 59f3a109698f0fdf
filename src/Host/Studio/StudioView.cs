using Microsoft.AspNetCore.Http;

namespace Exit.Host.Studio;

/// <summary>
/// The pages of the Studio host, one Studio custom element each. The paths (below <see cref="StudioOptions.Path"/>)
/// are the ones Elsa Studio uses itself, so its own navigation (after "Run": <c>workflows/instances/{id}/view</c>)
/// lands on a page we serve.
/// </summary>
internal sealed record StudioView(StudioViewKind Kind, string? Id = null)
{
    public string Tag => Kind switch
    {
        StudioViewKind.Definitions => "elsa-workflow-definition-list",
        StudioViewKind.Editor => "elsa-workflow-definition-editor",
        StudioViewKind.Instances => "elsa-workflow-instance-list",
        _ => "elsa-workflow-instance-viewer",
    };

    /// <summary>The attribute carrying <see cref="Id"/>, if the element takes one.</summary>
    public string? IdAttribute => Kind switch
    {
        StudioViewKind.Editor => "definition-id",
        StudioViewKind.Instance => "instance-id",
        _ => null,
    };

    public string Title => Kind switch
    {
        StudioViewKind.Definitions => "Workflows",
        StudioViewKind.Editor => "Workflow " + Id,
        StudioViewKind.Instances => "Instances",
        _ => "Instance " + Id,
    };

    /// <summary>Which header link is current.</summary>
    public bool IsInstanceSection => Kind is StudioViewKind.Instances or StudioViewKind.Instance;

    /// <summary>Path relative to the base href.</summary>
    public string RelativePath => Kind switch
    {
        StudioViewKind.Definitions => "workflows/definitions",
        StudioViewKind.Editor => "workflows/definitions/" + Uri.EscapeDataString(Id!) + "/edit",
        StudioViewKind.Instances => "workflows/instances",
        _ => "workflows/instances/" + Uri.EscapeDataString(Id!) + "/view",
    };

    /// <summary>Parses a path below the base (already URL-decoded by routing), e.g. <c>workflows/definitions/wf1/edit</c>.</summary>
    public static StudioView? FromPath(string path)
    {
        var segments = path.Trim('/').Split('/');
        return segments switch
        {
            [""] or ["workflows"] or ["workflows", "definitions"] => new(StudioViewKind.Definitions),
            ["workflows", "definitions", { Length: > 0 } id, "edit"] => new(StudioViewKind.Editor, id),
            ["workflows", "instances"] => new(StudioViewKind.Instances),
            ["workflows", "instances", { Length: > 0 } id, "view"] => new(StudioViewKind.Instance, id),
            _ => null,
        };
    }

    /// <summary>The short form <c>?view=definitions|editor|instances|instance&amp;id=…</c>, if present.</summary>
    public static StudioView? FromQuery(IQueryCollection query)
    {
        var id = query["id"].ToString();
        return query["view"].ToString() switch
        {
            "definitions" => new(StudioViewKind.Definitions),
            "editor" when id.Length > 0 => new(StudioViewKind.Editor, id),
            "instances" => new(StudioViewKind.Instances),
            "instance" when id.Length > 0 => new(StudioViewKind.Instance, id),
            _ => null,
        };
    }
}

internal enum StudioViewKind
{
    Definitions,
    Editor,
    Instances,
    Instance,
}
