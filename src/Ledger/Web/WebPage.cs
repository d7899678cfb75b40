using System.Reflection;

namespace Ledger.Web;

/// <summary>The web page: static HTML, JavaScript and CSS embedded in the program and served at <c>/</c>. No build step, no CDN.</summary>
public static class WebPage
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Asset("index.html")).ExcludeFromDescription();
        app.MapGet("/diff", () => Asset("diff.html")).ExcludeFromDescription();
        app.MapGet("/web/{name}", (string name) => Asset(name)).ExcludeFromDescription();
    }

    private static IResult Asset(string name)
    {
        var extension = Path.GetExtension(name);
        if (!Types.TryGetValue(extension, out var type) || name.Contains('/', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal))
        {
            return Results.NotFound();
        }

        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("web/" + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }
}
