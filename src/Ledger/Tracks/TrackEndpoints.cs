using Ledger.Infrastructure;
using System.Globalization;
using Ledger.Domain.Tracks;
using Ledger.Infrastructure.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Tracks;

/// <summary>The status of a negotiation's tracks, now or as it stood on the two time axes.</summary>
[Tags("Tracks")]
public static class TrackEndpoints
{
    [WolverineGet("/api/negotiations/{id}/status", OperationId = "negotiationStatus", Summary = "Show the status of every track of a negotiation")]
    [ProducesResponseType<NegotiationStatus>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static Task<IResult> Status(string id, string? asOf, string? knownOn, string? recordedAt, IDocumentStore store, CancellationToken ct) =>
        StatusOf(id, null, asOf, knownOn, recordedAt, store, ct);

    [WolverineGet("/api/negotiations/{id}/tracks/{track}/status", OperationId = "trackStatus", Summary = "Show the status of one track")]
    [ProducesResponseType<NegotiationStatus>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static Task<IResult> TrackStatus(string id, string track, string? asOf, string? knownOn, string? recordedAt, IDocumentStore store, CancellationToken ct) =>
        StatusOf(id, track, asOf, knownOn, recordedAt, store, ct);

    private static async Task<IResult> StatusOf(string id, string? track, string? asOf, string? knownOn, string? recordedAt, IDocumentStore store, CancellationToken ct)
    {
        if (TimeAxesQuery.Parse(asOf, knownOn, out var axes) is { } bad)
        {
            return bad;
        }

        DateTimeOffset? recorded = null;
        if (!string.IsNullOrWhiteSpace(recordedAt))
        {
            if (!DateTimeOffset.TryParse(recordedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return Problems.Field("recordedAt", $"'{recordedAt}' is not a moment (ISO 8601, e.g. 2025-07-24T12:00:00Z)");
            }

            recorded = at;
        }

        return await Problems.CatchNotFound(async () =>
        {
            await using var session = store.QuerySessionFor(id);
            return JsonResults.Ok(await TrackQueries.StatusAsync(session, id, track, axes, recorded, ct));
        });
    }
}
