namespace Exit.Workflows.Tests.Definitions;

/// <summary>The Elsa conformance fixtures copied to the test output (Fixtures/&lt;scenario&gt;/&lt;file&gt;.json).</summary>
internal static class DefinitionFixtures
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>Relative paths with forward slashes, e.g. "import-and-publish/timer-workflow.json".</summary>
    public static IEnumerable<object[]> All() =>
        Directory.EnumerateFiles(Root, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => f != "manifest.json")
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { f });

    public static byte[] Bytes(string relativePath) => File.ReadAllBytes(Path.Combine(Root, relativePath));

    public static string Text(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));
}
