using Ledger.Audit;
using Ledger.Developments;
using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Infrastructure;
using Ledger.Negotiations;
using Ledger.Sources;
using Marten;
using JasperFx;

namespace Ledger.Import;

public enum FileOutcome
{
    Imported,
    Unchanged,
    Rejected,
}

public sealed record FileResult(string File, FileOutcome Outcome, int Appended, int AlreadyRecorded, IReadOnlyList<ImportError> Errors);

public sealed record ImportReport(IReadOnlyList<FileResult> Files)
{
    public int Appended => Files.Sum(f => f.Appended);

    public int AlreadyRecorded => Files.Sum(f => f.AlreadyRecorded);

    public bool Succeeded => Files.All(f => f.Outcome != FileOutcome.Rejected);
}

/// <summary>
/// Imports <c>seeds/</c> and <c>events/</c>. Each file is its own transaction: a file with any error
/// appends nothing, and importing the same files again appends nothing.
/// </summary>
public sealed class Importer(IDocumentStore store, string writer = "import")
{
    public static IReadOnlyList<string> EventFilesIn(string eventsFolder)
    {
        if (!Directory.Exists(eventsFolder))
        {
            return [];
        }

        // A negotiation's registrations come before the developments that refer to them.
        return [.. Directory.EnumerateFiles(eventsFolder, "*.yaml", SearchOption.AllDirectories)
            .OrderBy(f => Path.GetDirectoryName(f), StringComparer.Ordinal)
            .ThenBy(f => Path.GetFileName(f) == NegotiationFile.FileName ? 0 : 1)
            .ThenBy(f => f, StringComparer.Ordinal)];
    }

    public static IReadOnlyList<string> SourceFilesIn(string seedsFolder) =>
        Directory.Exists(seedsFolder)
            ? [.. Directory.EnumerateFiles(seedsFolder, "*.txt").Order(StringComparer.Ordinal)]
            : [];

    public async Task<ImportReport> ImportAsync(string seedsFolder, string eventsFolder, string displayRoot, Action<FileResult>? onFile = null, CancellationToken ct = default)
    {
        var results = new List<FileResult>();
        foreach (var file in SourceFilesIn(seedsFolder))
        {
            var result = await WithRetryOnConflict(() => ImportSourceAsync(file, displayRoot, ct));
            results.Add(result);
            onFile?.Invoke(result);
        }

        foreach (var file in EventFilesIn(eventsFolder))
        {
            var result = await WithRetryOnConflict(() => ImportEventFileAsync(file, displayRoot, ct));
            results.Add(result);
            onFile?.Invoke(result);
        }

        return new ImportReport(results);
    }

    public async Task<FileResult> ImportSourceAsync(string textPath, string displayRoot, CancellationToken ct)
    {
        var name = Path.GetRelativePath(displayRoot, textPath);
        var errors = new List<ImportError>();
        var registered = SourceFile.Read(textPath, displayRoot, errors);
        if (registered is null)
        {
            return new FileResult(name, FileOutcome.Rejected, 0, 0, errors);
        }

        await using var session = store.LightweightSession();
        var existing = await session.LoadAsync<Source>(StreamKeys.Source(registered.SourceId), ct);
        if (existing is not null)
        {
            return existing.ContentHash == registered.ContentHash
                ? new FileResult(name, FileOutcome.Unchanged, 0, 1, [])
                : new FileResult(name, FileOutcome.Rejected, 0, 0, [new ImportError(name, 1, "(text)",
                    $"source '{registered.SourceId}' is registered with different text ({existing.ContentHash}, now {registered.ContentHash}); a source's text never changes: register the new text under a new id")]);
        }

        session.LastModifiedBy = writer;
        session.Events.StartStream(StreamKeys.Source(registered.SourceId), registered);
        await session.SaveChangesAsync(ct);
        return new FileResult(name, FileOutcome.Imported, 1, 0, []);
    }

    public async Task<FileResult> ImportEventFileAsync(string path, string displayRoot, CancellationToken ct)
    {
        var name = Path.GetRelativePath(displayRoot, path);
        var errors = new List<ImportError>();
        var fields = YamlDocument.Load(name, await File.ReadAllTextAsync(path, ct), errors);
        if (fields is null)
        {
            return new FileResult(name, FileOutcome.Rejected, 0, 0, errors);
        }

        await using var session = store.LightweightSession();
        session.LastModifiedBy = writer;
        session.SetHeader("import-file", name.Replace('\\', '/'));

        return Path.GetFileName(path) == NegotiationFile.FileName
            ? await ImportNegotiationAsync(session, name, fields, errors, ct)
            : await ImportDevelopmentsAsync(session, name, fields, errors, ct);
    }

    private static async Task<FileResult> ImportNegotiationAsync(IDocumentSession session, string name, YamlFields fields, List<ImportError> errors, CancellationToken ct)
    {
        var events = NegotiationFile.Read(fields);
        if (errors.Count > 0)
        {
            return new FileResult(name, FileOutcome.Rejected, 0, 0, errors);
        }

        var opened = (NegotiationOpened)events[0];
        var key = StreamKeys.Negotiation(opened.NegotiationId);
        var current = (await session.LoadAsync<NegotiationRegistration>(key, ct))?.Negotiation;
        var changes = events.Where(e => Changes(current, e)).ToList();
        if (changes.Count == 0)
        {
            return new FileResult(name, FileOutcome.Unchanged, 0, events.Count, []);
        }

        session.Events.Append(key, changes.ToArray());
        await session.SaveChangesAsync(ct);
        return new FileResult(name, FileOutcome.Imported, changes.Count, events.Count - changes.Count, []);
    }

    /// <summary>Whether a registration says something the negotiation does not already hold.</summary>
    private static bool Changes(Negotiation? current, object registration) => registration switch
    {
        NegotiationOpened e => current is null || current.Title != e.Title || current.Description != e.Description,
        PartyRegistered e => current?.Parties.FirstOrDefault(p => p.Id == e.PartyId) is not { } p || p != new Party(e.PartyId, e.Name, e.Role),
        ActorRegistered e => current?.Actors.FirstOrDefault(a => a.Id == e.ActorId) is not { } a
            || a.Name != e.Name || a.PartyId != e.PartyId || a.Role != e.Role || !a.Aliases.SequenceEqual(e.Aliases),
        TrackOpened e => current?.Tracks.FirstOrDefault(t => t.Id == e.TrackId) is not { } t || t != new Track(e.TrackId, e.Title, e.Description),
        _ => true,
    };

    private static async Task<FileResult> ImportDevelopmentsAsync(IDocumentSession session, string name, YamlFields fields, List<ImportError> errors, CancellationToken ct)
    {
        var negotiationId = fields.Optional("negotiation");
        var negotiation = negotiationId is null
            ? null
            : (await session.LoadAsync<NegotiationRegistration>(StreamKeys.Negotiation(negotiationId), ct))?.Negotiation;
        var sources = await SourcesForAsync(session, fields, ct);

        var claims = DevelopmentFile.Read(
            fields,
            id => id == negotiation?.Id ? negotiation : null,
            id => sources.GetValueOrDefault(id));
        await CheckReferencesAsync(session, claims, fields, ct);
        if (errors.Count > 0)
        {
            return new FileResult(name, FileOutcome.Rejected, 0, 0, errors);
        }

        var outcome = await ClaimWriter.AppendAsync(session, claims, ct);
        if (outcome.Appended.Count == 0)
        {
            return new FileResult(name, FileOutcome.Unchanged, 0, outcome.AlreadyRecorded.Count, []);
        }

        await session.SaveChangesAsync(ct);
        return new FileResult(name, FileOutcome.Imported, outcome.Appended.Count, outcome.AlreadyRecorded.Count, []);
    }

    /// <summary>The registered texts of the sources a file or request cites, and only those.</summary>
    public static async Task<IReadOnlyDictionary<string, SourceText>> SourcesForAsync(IQuerySession session, YamlFields fields, CancellationToken ct)
    {
        var keys = DevelopmentFile.SourceIdsIn(fields).Select(StreamKeys.Source).ToArray();
        var sources = keys.Length == 0 ? [] : await session.LoadManyAsync<Source>(ct, keys);
        return sources.ToDictionary(s => s.SourceId, s => new SourceText(s.SourceId, s.Text, s.Published));
    }

    /// <summary>A correction or retraction must name a report that exists, in the store or in the same file or request.</summary>
    public static async Task CheckReferencesAsync(IQuerySession session, IReadOnlyList<Development> claims, YamlFields fields, CancellationToken ct)
    {
        var referenced = claims
            .Select(c => c switch
            {
                ReportCorrected r => (c, Target: r.SupersededClaimId),
                ReportRetracted r => (c, Target: r.RetractedClaimId),
                _ => (c, Target: Guid.Empty),
            })
            .Where(x => x.Target != Guid.Empty)
            .ToList();
        if (referenced.Count == 0)
        {
            return;
        }

        var inFile = claims.Select(c => c.Claim.ClaimId).ToHashSet();
        var stored = (await session.LoadManyAsync<ClaimRecord>(ct, [.. referenced.Select(x => x.Target)])).Select(r => r.Id).ToHashSet();
        foreach (var (claim, _) in referenced.Where(x => !inFile.Contains(x.Target) && !stored.Contains(x.Target)))
        {
            fields.Error("developments", $"'{claim.Claim.DevelopmentKey}' ({claim.Kind}) refers to a report that is not recorded: check its development, source and quote");
        }
    }

    /// <summary>
    /// Another writer recorded the same claim, source or new stream between our check and our commit: the
    /// transaction rolled back whole, so read again and redo the file.
    /// </summary>
    private static async Task<FileResult> WithRetryOnConflict(Func<Task<FileResult>> import)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await import();
            }
            catch (Exception e) when (attempt < 5 && IsWriteConflict(e))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt));
            }
        }
    }

    public static bool IsWriteConflict(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is DocumentAlreadyExistsException or ConcurrencyException
                || current is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
            {
                return true;
            }
        }

        return false;
    }
}
