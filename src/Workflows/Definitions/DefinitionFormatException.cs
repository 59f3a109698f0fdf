using System.Text.Json;

namespace Exit.Workflows.Definitions;

/// <summary>
/// The text is not a workflow definition at all: invalid JSON, or JSON of the wrong shape (the document or
/// an activity is not an object, <c>activities</c> is not an array…). <see cref="LineNumber"/> and
/// <see cref="Position"/> are 1-based and set for JSON syntax errors; <see cref="JsonPath"/> for shape errors.
/// </summary>
public sealed class DefinitionFormatException : Exception
{
    public DefinitionFormatException(string message, long? lineNumber = null, long? position = null, string? jsonPath = null, Exception? inner = null)
        : base(message, inner)
    {
        LineNumber = lineNumber;
        Position = position;
        JsonPath = jsonPath;
    }

    public long? LineNumber { get; }
    public long? Position { get; }
    public string? JsonPath { get; }

    internal static DefinitionFormatException FromJson(JsonException ex) =>
        new($"The workflow definition is not valid JSON {Describe(ex)}", ex.LineNumber + 1, ex.BytePositionInLine + 1, ex.Path, ex);

    /// <summary>"at line 3, position 14: reason", with 1-based numbers and without System.Text.Json's own suffix.</summary>
    internal static string Describe(JsonException ex)
    {
        var reason = ex.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0) cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0) reason = reason[..cut];
        var where = ex.LineNumber is { } line ? $"at line {line + 1}, position {ex.BytePositionInLine + 1}: " : "";
        return where + reason.Trim();
    }

    internal static DefinitionFormatException Shape(string path, string message) =>
        new($"The workflow definition has the wrong shape at {path}: {message}", jsonPath: path);
}
