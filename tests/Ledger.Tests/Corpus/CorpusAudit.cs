using Ledger.Audit;
using Ledger.Domain.Tracks;
using Ledger.Tests.Infrastructure;
using Marten;

namespace Ledger.Tests.Corpus;

/// <summary>What every coded negotiation must hold: each field of each track leads to quotes found verbatim in its articles.</summary>
internal static class CorpusAudit
{
    /// <summary>Audits every field of the tracks that have claims, checks each quote against its article, and says how many fields it audited.</summary>
    public static async Task<int> EveryFieldLeadsToVerbatimQuotesAsync(IQuerySession session, string negotiationId, IEnumerable<string> tracks, CancellationToken ct)
    {
        var texts = Directory.EnumerateFiles(Path.Combine(Repository.Root, "seeds"), "*.txt")
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f)!, File.ReadAllText);
        var fields = 0;
        foreach (var track in tracks)
        {
            var audit = await AuditQueries.TrackAsync(session, negotiationId, track, null, TimeAxes.Now, ct);
            foreach (var field in audit.Fields.Where(f => f.Path != "phase" || f.Claims.Count > 0))
            {
                fields++;
                Assert.NotEmpty(field.Claims);
                Assert.All(field.Claims, c => Assert.Equal(c.Quote.Exact, texts[c.SourceId][c.Quote.Start..c.Quote.End]));
            }
        }

        return fields;
    }
}
