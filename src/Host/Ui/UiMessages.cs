namespace Exit.Host.Ui;

/// <summary>A status line and validation errors for a page (already localised).</summary>
public sealed class UiMessages
{
    public string? Status { get; set; }
    public List<string> Errors { get; } = [];
}
