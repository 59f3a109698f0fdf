namespace Exit.Host.Features.Elsa.Shared;

/// <summary>Elsa's hypermedia link. Studio checks <c>rel</c> only ("publish" makes the editor writable).</summary>
public sealed record LinkDto(string Href, string Rel, string Method);
