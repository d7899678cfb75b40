using System.Reflection;

namespace Ledger.Web;

/// <summary>
/// The web page: static HTML, JavaScript and CSS embedded in the program, served at <c>/</c> (every track of a
/// negotiation) and <c>/tracks/{negotiation}/{track}</c> (one track, its history and charts). No build step, no CDN:
/// the one library, Chart.js, is vendored in wwwroot (see THIRD-PARTY.md there).
/// </summary>
public static class WebPage
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".md"] = "text/markdown; charset=utf-8",
    };

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Asset("index.html")).ExcludeFromDescription();
        // The track page reads the negotiation and track from its own address; the server only hands out the page.
        app.MapGet("/tracks/{negotiation}/{track}", (string negotiation, string track) => Asset("track.html")).ExcludeFromDescription();
        app.MapGet("/favicon.ico", () => Asset("favicon.svg")).ExcludeFromDescription();
        app.MapGet("/diff", () => Asset("diff.html")).ExcludeFromDescription();
        app.MapGet("/web/{name}", (string name) => Asset(name)).ExcludeFromDescription();
        app.MapGet("/sources/{negotiation}/{source}", () => Asset("source.html")).ExcludeFromDescription();
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
