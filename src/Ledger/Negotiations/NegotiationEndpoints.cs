using Ledger.Infrastructure;
using Ledger.Infrastructure.Http;
using Ledger.Tracks;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Negotiations;

/// <summary>The negotiations the ledger holds: their parties, mediators and tracks.</summary>
[Tags("Negotiations")]
public static class NegotiationEndpoints
{
    [WolverineGet("/api/negotiations", OperationId = "listNegotiations", Summary = "List the negotiations")]
    [ProducesResponseType<IReadOnlyList<Ledger.Domain.Negotiations.Negotiation>>(200, "application/json")]
    public static async Task<IResult> Negotiations(IDocumentStore store, CancellationToken ct)
    {
        return JsonResults.Ok(await TrackQueries.NegotiationsAsync(store, ct));
    }

    [WolverineGet("/api/negotiations/{id}", OperationId = "getNegotiation", Summary = "Show a negotiation: its parties, mediators and tracks")]
    [ProducesResponseType<Ledger.Domain.Negotiations.Negotiation>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Negotiation(string id, IDocumentStore store, CancellationToken ct) =>
        await Problems.CatchNotFound(async () =>
        {
            await using var session = store.QuerySessionFor(id);
            return JsonResults.Ok(await TrackQueries.NegotiationAsync(session, id, ct));
        });
}
