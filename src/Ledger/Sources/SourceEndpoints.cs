using Ledger.Audit;
using Ledger.Infrastructure;
using Ledger.Infrastructure.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Sources;

/// <summary>A source with its text and the characters of it that claims cite.</summary>
public sealed record SourceWithText(SourceSummary Source, string Text);

/// <summary>The registered sources, and one with its exact text and the characters its claims cite.</summary>
[Tags("Sources")]
public static class SourceEndpoints
{
    [WolverineGet("/api/sources", OperationId = "listSources", Summary = "List the registered sources")]
    [ProducesResponseType<IReadOnlyList<SourceSummary>>(200, "application/json")]
    public static async Task<IResult> Sources(IDocumentStore store, CancellationToken ct)
    {
        return JsonResults.Ok(await SourceQueries.AllAsync(store, ct));
    }

    [WolverineGet("/api/sources/{id}", OperationId = "getSource", Summary = "Show a source with its text and the characters its claims cite")]
    [ProducesResponseType<SourceWithText>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Source(string id, IDocumentStore store, CancellationToken ct)
    {
        Source? source = null;
        var citations = await store.FanOutAsync<ClaimRecord>(async session =>
        {
            source ??= await session.LoadAsync<Source>(StreamKeys.Source(id), ct);
            return await session.Query<ClaimRecord>().Where(c => c.SourceId == id).ToListAsync(ct);
        });
        if (source is null)
        {
            return Problems.NotFound($"No source '{id}' is registered.");
        }

        return JsonResults.Ok(new SourceWithText(SourceQueries.Summarise(source, citations), source.Text));
    }
}
