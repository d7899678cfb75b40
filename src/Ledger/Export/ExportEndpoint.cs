using System.Text;
using Ledger.Infrastructure;
using Ledger.Infrastructure.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Export;

/// <summary>A negotiation's claims for analysis: CSV, JSON Lines or W3C Web Annotations in JSON-LD.</summary>
[Tags("Export")]
public static class ExportEndpoint
{
    [WolverineGet("/api/negotiations/{id}/export", OperationId = "exportClaims", Summary = "Export a negotiation's claims as CSV, JSON Lines or JSON-LD Web Annotations")]
    [ProducesResponseType(typeof(string), 200, "text/csv", "application/x-ndjson", "application/ld+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Export(string id, string? format, string? asOf, string? knownOn, string? track, HttpContext context, IDocumentStore store, CancellationToken ct)
    {
        if (!ClaimExports.TryParse(string.IsNullOrWhiteSpace(format) ? "csv" : format, out var chosen))
        {
            return Problems.Field("format", $"'{format}' is not an export format; use one of: {string.Join(", ", ClaimExports.FormatNames)}");
        }

        if (TimeAxesQuery.Parse(asOf, knownOn, out var axes) is { } bad)
        {
            return bad;
        }

        ExportedLedger ledger;
        try
        {
            await using var session = store.QuerySessionFor(id);
            ledger = await ExportQueries.LoadAsync(session, id, string.IsNullOrWhiteSpace(track) ? null : track, axes, ct);
        }
        catch (Tracks.UnknownTrackException e)
        {
            return Problems.Field("track", e.Message);
        }
        catch (Tracks.NotFoundException e)
        {
            return Problems.NotFound(e.Message);
        }

        var baseUrl = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
        var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        await ClaimExports.WriteAsync(ledger, chosen, text, baseUrl, ct);
        context.Response.Headers.ContentDisposition = $"inline; filename=\"{ledger.Negotiation.Id}.{ClaimExports.Extension(chosen)}\"";
        return Results.Text(text.ToString(), ClaimExports.ContentType(chosen) + "; charset=utf-8", Encoding.UTF8);
    }
}
