using Ledger.Audit;
using Ledger.Domain.Provenance;
using Marten;

namespace Ledger.Sources;

public sealed record VerificationProblem(string SourceId, Guid? ClaimId, string Problem);

public sealed record VerificationReport(int SourcesChecked, int QuotesChecked, IReadOnlyList<VerificationProblem> Problems)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>
/// Checks that every registered source's file in <c>seeds/</c> still has the text that was registered
/// (same content hash), and that every quote is still found, verbatim, at its recorded characters.
/// </summary>
public static class Verification
{
    public static async Task<VerificationReport> RunAsync(IQuerySession session, string seedsFolder, CancellationToken ct)
    {
        var problems = new List<VerificationProblem>();
        var sources = await session.Query<Source>().ToListAsync(ct);
        var claims = (await session.Query<ClaimRecord>().ToListAsync(ct)).Select(r => r.Development).ToLookup(c => c.Claim.Provenance.SourceId);
        var quotes = 0;
        foreach (var source in sources.OrderBy(s => s.SourceId, StringComparer.Ordinal))
        {
            if (ContentHash.Of(source.Text) != source.ContentHash)
            {
                problems.Add(new VerificationProblem(source.SourceId, null, "the stored text no longer matches its registered content hash"));
            }

            var path = Path.Combine(seedsFolder, source.SourceId + ".txt");
            string? onDisk = null;
            if (!File.Exists(path))
            {
                problems.Add(new VerificationProblem(source.SourceId, null, $"{path} is missing"));
            }
            else
            {
                var bytes = await File.ReadAllBytesAsync(path, ct);
                if (ContentHash.Of(bytes) != source.ContentHash)
                {
                    problems.Add(new VerificationProblem(source.SourceId, null, $"{Path.GetFileName(path)} has changed since it was registered (registered {source.ContentHash}, now {ContentHash.Of(bytes)})"));
                    onDisk = System.Text.Encoding.UTF8.GetString(bytes);
                }
            }

            foreach (var claim in claims[source.SourceId])
            {
                quotes++;
                var quote = claim.Claim.Provenance.Quote;
                foreach (var (text, where) in new[] { (source.Text, "the registered text"), (onDisk, "the file in seeds/") })
                {
                    if (text is null)
                    {
                        continue;
                    }

                    var atOffsets = quote.End <= text.Length && string.CompareOrdinal(text, quote.Start, quote.Exact, 0, quote.Exact.Length) == 0;
                    if (!atOffsets)
                    {
                        var lookup = QuoteLocator.Locate(text, quote.Exact, quote.Prefix, quote.Suffix);
                        problems.Add(new VerificationProblem(source.SourceId, claim.Claim.ClaimId, lookup.Found
                            ? $"quote of '{claim.Claim.DevelopmentKey}' has moved in {where} (now at {lookup.Anchor!.Start}, recorded at {quote.Start})"
                            : $"quote of '{claim.Claim.DevelopmentKey}' is no longer found in {where}: \"{quote.Exact}\""));
                    }
                }
            }
        }

        return new VerificationReport(sources.Count, quotes, problems);
    }
}
