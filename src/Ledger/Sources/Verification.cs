using Ledger.Audit;
using Ledger.Domain.Provenance;
using Ledger.Import;
using Marten;

namespace Ledger.Sources;

public sealed record VerificationProblem(string SourceId, Guid? ClaimId, string Problem);

/// <param name="SeedsFolder">The folder whose files were compared with the store.</param>
/// <param name="SourcesWithoutFile">
/// Sources with no file in <paramref name="SeedsFolder"/> (registered over HTTP, or whose file is elsewhere): their
/// stored text and quotes were checked, but there was no file to compare them with.
/// </param>
public sealed record VerificationReport(
    int SourcesChecked,
    int QuotesChecked,
    IReadOnlyList<VerificationProblem> Problems,
    string SeedsFolder,
    IReadOnlyList<string> SourcesWithoutFile)
{
    public bool Passed => Problems.Count == 0;

    /// <summary>Reports the store holds that no events file has (not a failure: the store is the truth; said so it is seen).</summary>
    public IReadOnlyList<Recording.DriftedReport> Drift { get; init; } = [];

    public int SourcesComparedWithFile => SourcesChecked - SourcesWithoutFile.Count;

    public int SourcesCheckedFromStoreOnly => SourcesWithoutFile.Count;

    /// <summary>
    /// Says how many sources had no file to compare with, so that a check made against the store alone is never
    /// mistaken for one against the files; null when every source had its file.
    /// </summary>
    public string? StoreOnlyNote => SourcesWithoutFile.Count switch
    {
        0 => null,
        1 => $"1 source has no file in {SeedsFolder}{FolderMissing}; checked from the store alone",
        var n => $"{n} sources have no file in {SeedsFolder}{FolderMissing}; checked from the store alone",
    };

    /// <summary>
    /// One report of several databases' checks: each database holds every source, so a source counts once; quotes
    /// and problems are each database's own.
    /// </summary>
    public VerificationReport Plus(VerificationReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new VerificationReport(
            Math.Max(SourcesChecked, other.SourcesChecked),
            QuotesChecked + other.QuotesChecked,
            [.. Problems.Concat(other.Problems).Distinct()],
            SeedsFolder,
            [.. SourcesWithoutFile.Union(other.SourcesWithoutFile, StringComparer.Ordinal)])
        {
            Drift = [.. Drift, .. other.Drift],
        };
    }

    private string FolderMissing => Directory.Exists(SeedsFolder) ? "" : " (the folder does not exist)";
}

/// <summary>
/// Checks every registered source as the ledger holds it: its stored text still has its registered content hash,
/// and every quote is still found, verbatim, at its recorded characters. The store is where sources live (a source
/// registered over HTTP never has a file), so a seeds folder is only compared with where it has the source's file:
/// a file that differs from the registered text is a problem; no file is not, and is counted in the report.
/// </summary>
public static class Verification
{
    public static async Task<VerificationReport> RunAsync(IQuerySession session, string seedsFolder, CancellationToken ct)
    {
        var problems = new List<VerificationProblem>();
        var withoutFile = new List<string>();
        var sources = await session.Query<Source>().ToListAsync(ct);
        var claims = (await session.Query<ClaimRecord>().ToListAsync(ct)).Select(r => r.Development).ToLookup(c => c.Claim.Provenance.SourceId);

        // The files import would register, by the id it would give them, so a file is found exactly when import
        // would have registered the source from it.
        var files = Importer.SourceFilesIn(seedsFolder).ToDictionary(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal);
        var quotes = 0;
        foreach (var source in sources.OrderBy(s => s.SourceId, StringComparer.Ordinal))
        {
            if (ContentHash.Of(source.Text) != source.ContentHash)
            {
                problems.Add(new VerificationProblem(source.SourceId, null, "the stored text no longer matches its registered content hash"));
            }

            string? onDisk = null;
            if (!files.TryGetValue(source.SourceId, out var path))
            {
                withoutFile.Add(source.SourceId);
            }
            else
            {
                var bytes = await File.ReadAllBytesAsync(path, ct);
                if (ContentHash.Of(bytes) != source.ContentHash)
                {
                    problems.Add(new VerificationProblem(source.SourceId, null, $"{path} has changed since it was registered (registered {source.ContentHash}, now {ContentHash.Of(bytes)})"));
                    onDisk = System.Text.Encoding.UTF8.GetString(bytes);
                }
            }

            foreach (var claim in claims[source.SourceId])
            {
                quotes++;
                var quote = claim.Claim.Provenance.Quote;
                foreach (var (text, where) in new[] { (source.Text, "the registered text"), (onDisk, path) })
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

        return new VerificationReport(sources.Count, quotes, problems, seedsFolder, withoutFile);
    }
}
