using Ledger.Infrastructure;
using Ledger.Infrastructure.Http;
using Ledger.Tracks;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Timeline;

/// <summary>A negotiation's developments in order, across its tracks or on one.</summary>
[Tags("Timeline")]
public static class TimelineEndpoints
{
    [WolverineGet("/api/negotiations/{id}/timeline", OperationId = "timeline", Summary = "Show a negotiation's developments in order")]
    [ProducesResponseType<IReadOnlyList<TimelineEntry>>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Timeline(string id, string? track, string? asOf, string? knownOn, IDocumentStore store, CancellationToken ct)
    {
        if (TimeAxesQuery.Parse(asOf, knownOn, out var axes) is { } bad)
        {
            return bad;
        }

        return await Problems.CatchNotFound(async () =>
        {
            await using var session = store.QuerySessionFor(id);
            var negotiation = await TrackQueries.NegotiationAsync(session, id, ct);
            TrackQueries.RequireTrack(negotiation, track);
            return JsonResults.Ok(await TimelineQueries.ForAsync(session, negotiation.Id, track, axes, ct));
        });
    }
}
