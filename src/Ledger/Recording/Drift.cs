using Ledger.Audit;
using Ledger.Domain.Recording;
using Ledger.Import;
using Marten;

namespace Ledger.Recording;

/// <summary>A report the store holds that no file has: appended over HTTP, or removed from its file.</summary>
public sealed record DriftedReport(Guid ClaimId, string NegotiationId, string TrackId, string DevelopmentKey, string SourceId, string? RecordedBy);

/// <summary>
/// Where the store and the event files part ways. The store is the ledger's truth and files are one way in, so a
/// report in the store that no file has is said, never removed: the recorder withdraws it, or adds it to a file.
/// </summary>
public static class Drift
{
    /// <summary>Reports of these negotiations the store holds that are not among <paramref name="inFiles"/>.</summary>
    public static async Task<IReadOnlyList<DriftedReport>> ReportsInNoFileAsync(IQuerySession session, IReadOnlyCollection<string> negotiations, IReadOnlySet<Guid> inFiles, CancellationToken ct)
    {
        if (negotiations.Count == 0)
        {
            return [];
        }

        var ids = negotiations.ToArray();
        var recorded = await session.Query<ClaimRecord>()
            .Where(c => ids.Contains(c.NegotiationId))
            .Select(c => new DriftedReport(c.Id, c.NegotiationId, c.TrackId, c.DevelopmentKey, c.SourceId, c.RecordedBy))
            .ToListAsync(ct);
        return [.. recorded.Where(r => !inFiles.Contains(r.ClaimId))
            .OrderBy(r => r.NegotiationId, StringComparer.Ordinal).ThenBy(r => r.TrackId, StringComparer.Ordinal).ThenBy(r => r.DevelopmentKey, StringComparer.Ordinal)];
    }

    /// <summary>Reads every development file of <paramref name="eventsFolder"/> (nothing is written) and compares it with the store.</summary>
    public static async Task<IReadOnlyList<DriftedReport>> OfFolderAsync(IQuerySession session, string eventsFolder, CancellationToken ct)
    {
        var files = new List<ProposedFile>();
        foreach (var path in Importer.EventFilesIn(eventsFolder).Where(f => Path.GetFileName(f) != NegotiationFile.FileName))
        {
            if (YamlDocument.Parse(path, await File.ReadAllTextAsync(path, ct), new List<InputError>()) is { } root)
            {
                files.Add(new ProposedFile(path, root));
            }
        }

        var (negotiations, sources) = await LedgerWriter.LoadRegistryAsync(session, files, ct);
        var readings = files.Select(f => Recorder.Read(f, id => negotiations.GetValueOrDefault(id), id => sources.GetValueOrDefault(id))).ToList();
        return await ReportsInNoFileAsync(
            session,
            [.. readings.Select(r => r.NegotiationId).OfType<string>().Distinct(StringComparer.Ordinal)],
            readings.SelectMany(r => r.ClaimIds).ToHashSet(),
            ct);
    }
}
