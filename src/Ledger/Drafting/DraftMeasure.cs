using Ledger.Audit;
using Ledger.Infrastructure;
using Ledger.Sources;
using Marten;

namespace Ledger.Drafting;

/// <summary>
/// How one source's draft compares with its coding: of the reports coded from it, how many the draft quoted (a
/// proposed quote overlapping the coded one), how many it quoted with the right development key, and how many had a
/// key another source also reports (the only keys a draft can know, as it is matched against the other sources).
/// </summary>
public sealed record DraftScore(string SourceId, string NegotiationId, int Coded, int Quoted, int RightKey, int KeyOnRecord, int Items)
{
    public double HitRate => Coded == 0 ? 0 : RightKey / (double)Coded;
}

public static class DraftMeasure
{
    public static async Task<IReadOnlyList<DraftScore>> MeasureAsync(IDocumentStore store, CancellationToken ct, double threshold = Drafter.MatchThreshold)
    {
        var reports = await store.FanOutAsync<ClaimRecord>(async s => await s.Query<ClaimRecord>().Where(c => !c.Amends).ToListAsync(ct));
        var sources = (await store.FanOutAsync<Source>(async s => await s.Query<Source>().ToListAsync(ct))).Select(s => s.SourceId).ToHashSet(StringComparer.Ordinal);
        var scores = new List<DraftScore>();
        foreach (var coded in reports.Where(r => sources.Contains(r.SourceId)).GroupBy(r => (r.SourceId, r.NegotiationId)).OrderBy(g => g.Key.SourceId, StringComparer.Ordinal))
        {
            var (draft, problem) = await DraftCommand.DraftAsync(store, coded.Key.SourceId, coded.Key.NegotiationId, ct, threshold);
            if (draft is null)
            {
                throw new InvalidOperationException(problem);
            }

            var elsewhere = reports.Where(r => r.NegotiationId == coded.Key.NegotiationId && r.SourceId != coded.Key.SourceId).Select(r => r.DevelopmentKey).ToHashSet(StringComparer.Ordinal);
            bool Overlaps(DraftItem item, ClaimRecord report) => item.Quote.Start < report.QuoteEnd && report.QuoteStart < item.Quote.End;
            scores.Add(new DraftScore(
                coded.Key.SourceId,
                coded.Key.NegotiationId,
                coded.Count(),
                coded.Count(r => draft.Items.Any(i => Overlaps(i, r))),
                coded.Count(r => draft.Items.Any(i => Overlaps(i, r) && i.Guess?.Development.Key == r.DevelopmentKey)),
                coded.Count(r => elsewhere.Contains(r.DevelopmentKey)),
                draft.Items.Count));
        }

        return scores;
    }
}
