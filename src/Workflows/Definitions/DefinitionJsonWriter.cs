using System.Text.Json;
using System.Text.Json.Nodes;

namespace Exit.Workflows.Definitions;

/// <summary>
/// Writes definition documents: the normalised form the API stores and returns, and the export (file) form,
/// which is the same document with <c>$schema</c> written first, as Elsa's exporter does.
/// </summary>
public static class DefinitionJsonWriter
{
    public const string SchemaUrl = "https://elsaworkflows.io/schemas/workflow-definition/v3.0.0/schema.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>The normalised copy of a model (see <see cref="ParsedDefinition.Document"/>); the argument is not changed.</summary>
    public static JsonObject Normalise(JsonObject model) => DefinitionJsonReader.Read(model).Document;

    /// <summary>Writes a document as it is (no normalisation, no <c>$schema</c>).</summary>
    public static string Write(JsonObject document, bool indented = false) =>
        document.ToJsonString(indented ? Indented : Compact);

    /// <summary>The export form of a normalised document: <c>$schema</c> first, then every other property in order.</summary>
    public static JsonObject ToExportDocument(JsonObject document)
    {
        var export = new JsonObject { ["$schema"] = SchemaUrl };
        foreach (var (key, value) in document)
        {
            if (key == "$schema") continue;
            export[key] = value?.DeepClone();
        }
        return export;
    }

    /// <summary>The export file text (indented, UTF-16 string; write it as UTF-8 without a BOM).</summary>
    public static string Export(JsonObject document) => Write(ToExportDocument(document), indented: true);

    /// <inheritdoc cref="Export(JsonObject)"/>
    public static string Export(ParsedDefinition definition) => Export(definition.Document);
}
