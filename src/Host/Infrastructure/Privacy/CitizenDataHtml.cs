using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Exit.Host.Ui;

namespace Exit.Host.Infrastructure.Privacy;

/// <summary>
/// The art. 15 document as one self-contained Danish HTML page (printable, no scripts, no external files). Codes are
/// shown by their Danish names (the UI's texts, plus the few this document alone needs).
/// </summary>
public static class CitizenDataHtml
{
    private static readonly Dictionary<string, string> Extra = new(StringComparer.Ordinal)
    {
        ["taskStatus.Open"] = "Åben",
        ["taskStatus.Completed"] = "Udført",
        ["taskStatus.Cancelled"] = "Annulleret",
        ["evaluation.Baseline"] = "Udgangspunkt",
        ["evaluation.PhaseChange"] = "Faseskift",
        ["evaluation.Final"] = "Afsluttende",
        ["auditAction.Read"] = "Læst",
        ["auditAction.Search"] = "Søgt",
        ["auditAction.Change"] = "Ændret",
        ["auditAction.Export"] = "Udleveret",
        ["auditAction.Delete"] = "Slettet",
    };

    public static string Render(CitizenDataEndpoints.CitizenDataDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = new UiText();
        // Danish letters stay letters; markup characters are encoded.
        var e = HtmlEncoder.Create(UnicodeRanges.All);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"da\"><head><meta charset=\"utf-8\"><title>Oplysninger om borger</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}")
            .Append("table{border-collapse:collapse;width:100%;margin-bottom:1rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}")
            .Append("th{width:30%;background:#f4f4f4}td{white-space:pre-wrap}</style></head><body>");
        html.Append("<h1>Oplysninger vi behandler om dig</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p>Borger-id {e.Encode(document.CitizenId)}. Udskrevet {document.ProducedAt:yyyy-MM-dd HH:mm} UTC ")
            .Append("efter databeskyttelsesforordningens artikel 15. Adgangsloggen viser hvornår, hvad og hvorfor, men ikke hvilke medarbejdere.</p>");
        foreach (var section in document.Sections)
        {
            html.Append("<h2>").Append(e.Encode(section.Title)).Append("</h2>");
            if (section.Records.Count == 0) html.Append("<p>Ingen.</p>");
            foreach (var record in section.Records)
            {
                html.Append("<table><caption>").Append(e.Encode(record.Heading)).Append("</caption>");
                foreach (var field in record.Fields.Where(f => !string.IsNullOrEmpty(f.Value)))
                {
                    var value = field.CodePrefix is null ? field.Value!
                        : Extra.TryGetValue(field.CodePrefix + field.Value, out var extra) ? extra : text.Code(field.CodePrefix, field.Value);
                    html.Append("<tr><th>").Append(e.Encode(field.Label)).Append("</th><td>").Append(e.Encode(value)).Append("</td></tr>");
                }
                html.Append("</table>");
            }
        }
        return html.Append("</body></html>").ToString();
    }
}
