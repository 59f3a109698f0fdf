using System.Text;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Exit.Host.Tests.Infrastructure;

/// <summary>Turns a mapped route pattern into a URL to call, the caller choosing each parameter's value.</summary>
public static class RouteUrls
{
    public static string Fill(RoutePattern pattern, Func<RoutePatternParameterPart, string> value)
    {
        var path = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart parameter => value(parameter),
                    _ => throw new NotSupportedException(part.GetType().Name),
                });
            }
        }

        return path.Length == 0 ? "/" : path.ToString();
    }
}
