using Ledger.Infrastructure;
using Ledger.Infrastructure.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Changes;

/// <summary>What changed on a negotiation's tracks between two dates.</summary>
[Tags("Changes")]
public static class DiffEndpoints
{
    [WolverineGet("/api/negotiations/{id}/diff", OperationId = "negotiationDiff", Summary = "Show what changed between two dates")]
    [ProducesResponseType<NegotiationChanges>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Diff(string id, string? from, string? to, string? track, string? knownOn, IDocumentStore store, CancellationToken ct)
    {
        if (ChangesQuery.Validate(from, to, knownOn, out var fromDate, out var toDate, out var knownOnDate) is { } bad)
        {
            return Problems.Field(bad.Field, bad.Message);
        }

        return await Problems.CatchNotFound(async () =>
        {
            await using var session = store.QuerySessionFor(id);
            return JsonResults.Ok(await ChangesQuery.BetweenAsync(session, id, string.IsNullOrWhiteSpace(track) ? null : track, fromDate, toDate, knownOnDate, ct));
        });
    }
}
