using Ledger.Audit;
using Ledger.Infrastructure;
using Marten;

namespace Ledger.Sources;

/// <summary>The characters of a source that one claim cites.</summary>
public sealed record Citation(Guid ClaimId, string DevelopmentKey, string TrackId, string Kind, int Start, int End);

public sealed record SourceSummary(
    string Id,
    string Outlet,
    string Title,
    string? Url,
    DateOnly Published,
    string? PublishedAsPrinted,
    string? PublishedNote,
    string Language,
    string? TranslationNote,
    string ContentHash,
    int Length,
    IReadOnlyList<Citation> Citations);

public static class SourceQueries
{
    public static async Task<IReadOnlyList<SourceSummary>> AllAsync(IQuerySession session, CancellationToken ct)
    {
        var sources = await session.Query<Source>().OrderBy(s => s.SourceId).ToListAsync(ct);
        var citations = (await session.Query<ClaimRecord>().ToListAsync(ct)).ToLookup(c => c.SourceId);
        return [.. sources.Select(s => Summarise(s, citations[s.SourceId]))];
    }

    /// <summary>Every source with its citations from every database the ledger is partitioned over.</summary>
    public static async Task<IReadOnlyList<SourceSummary>> AllAsync(IDocumentStore store, CancellationToken ct)
    {
        var found = await store.FanOutAsync(s => AllAsync(s, ct));
        return [.. found.GroupBy(s => s.Id, StringComparer.Ordinal)
            .Select(g => g.First() with { Citations = [.. g.SelectMany(s => s.Citations).OrderBy(c => c.Start)] })
            .OrderBy(s => s.Id, StringComparer.Ordinal)];
    }

    public static SourceSummary Summarise(Source s, IEnumerable<ClaimRecord> citations) => new(
        s.SourceId, s.Outlet, s.Title, s.Url, s.Published, s.PublishedAsPrinted, s.PublishedNote, s.Language, s.TranslationNote, s.ContentHash, s.Text.Length,
        [.. citations.OrderBy(c => c.QuoteStart).Select(c => new Citation(c.Id, c.DevelopmentKey, c.TrackId, c.Kind, c.QuoteStart, c.QuoteEnd))]);
}
