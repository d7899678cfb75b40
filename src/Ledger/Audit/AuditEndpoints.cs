using Ledger.Infrastructure;
using Ledger.Infrastructure.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Audit;

/// <summary>Why the ledger says what it says: a track's fields down to the claims and quotes behind them, or one claim.</summary>
[Tags("Audit")]
public static class AuditEndpoints
{
    [WolverineGet("/api/negotiations/{id}/tracks/{track}/audit", OperationId = "auditTrack", Summary = "Audit a track's fields down to the claims and quotes behind them")]
    [ProducesResponseType<TrackAudit>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Audit(string id, string track, string? field, string? asOf, string? knownOn, string? by, IDocumentStore store, CancellationToken ct)
    {
        if (TimeAxesQuery.Parse(asOf, knownOn, out var axes) is { } bad)
        {
            return bad;
        }

        return await Problems.CatchNotFound(async () =>
        {
            await using var session = store.QuerySessionFor(id);
            return JsonResults.Ok(await AuditQueries.TrackAsync(session, id, track, string.IsNullOrWhiteSpace(field) ? null : field, axes, ct, string.IsNullOrWhiteSpace(by) ? null : by));
        });
    }

    [WolverineGet("/api/events/{id}", OperationId = "auditEvent", Summary = "Audit one claim")]
    [ProducesResponseType<AuditedClaim>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Event(string id, IDocumentStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return Problems.Field("id", $"'{id}' is not an event or claim id (a UUID)");
        }

        return await Problems.CatchNotFound(async () =>
        {
            return JsonResults.Ok(await AuditQueries.ClaimAsync(store, guid, ct));
        });
    }
}
