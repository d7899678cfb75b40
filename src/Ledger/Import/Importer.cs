using Ledger.Audit;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Recording;
using Ledger.Domain.Sources;
using Ledger.Infrastructure;
using Ledger.Negotiations;
using Ledger.Recording;
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

public sealed record FileResult(string File, FileOutcome Outcome, int Appended, int AlreadyRecorded, IReadOnlyList<InputError> Errors)
{
    /// <summary>Reports already recorded that this file codes differently: recorded as revisions, with what changed.</summary>
    public IReadOnlyList<ReportRevised> Revised { get; init; } = [];
}

public sealed record ImportReport(IReadOnlyList<FileResult> Files)
{
    public int Appended => Files.Sum(f => f.Appended);

    public int AlreadyRecorded => Files.Sum(f => f.AlreadyRecorded);

    public int Revised => Files.Sum(f => f.Revised.Count);

    public bool Succeeded => Files.All(f => f.Outcome != FileOutcome.Rejected);

    /// <summary>Reports in the store for the imported negotiations that none of the files has.</summary>
    public IReadOnlyList<DriftedReport> Drift { get; init; } = [];
}

/// <summary>
/// Imports <c>seeds/</c> and <c>events/</c>: reads each file into proposals, lets the decider judge them against
/// what the ledger holds, and appends what it decided. Each file is all or nothing, and importing the same files
/// again appends nothing; a report coded differently since it was recorded becomes a revision (or, in strict
/// mode, an error spelling out the difference).
/// </summary>
public sealed class Importer(IDocumentStore store, string writer = "import", TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

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

    /// <summary>
    /// How many development files share one transaction. Each file is still all or nothing: a file with an error is
    /// left out of its batch, and a batch that meets a concurrent writer is decided again on what it then finds.
    /// </summary>
    public int FilesPerTransaction { get; init; } = 50;

    /// <summary>Refuse a report coded differently from its recorded version, instead of recording a revision.</summary>
    public bool Strict { get; init; }

    /// <summary>Why the recorder revises reports in this import, kept on each revision.</summary>
    public string? Reason { get; init; }

    public async Task<ImportReport> ImportAsync(string seedsFolder, string eventsFolder, string displayRoot, Action<FileResult>? onFile = null, CancellationToken ct = default)
    {
        var results = new List<FileResult>();
        void Report(IEnumerable<FileResult> done)
        {
            foreach (var result in done)
            {
                results.Add(result);
                onFile?.Invoke(result);
            }
        }

        foreach (var files in SourceFilesIn(seedsFolder).Chunk(FilesPerTransaction))
        {
            Report(await RegisterSourcesAsync(files, displayRoot, ct));
        }

        var declared = new Dictionary<string, DevelopmentDeclaration>(StringComparer.Ordinal);
        var claimsInFiles = new HashSet<Guid>();
        var negotiations = new HashSet<string>(StringComparer.Ordinal);
        var batch = new List<string>();
        async Task FlushAsync()
        {
            if (batch.Count > 0)
            {
                Report(await ImportDevelopmentFilesAsync(batch, displayRoot, declared, claimsInFiles, negotiations, ct));
                batch = [];
            }
        }

        foreach (var file in EventFilesIn(eventsFolder))
        {
            if (Path.GetFileName(file) == NegotiationFile.FileName)
            {
                // Registrations change what later files may refer to: commit what came before, then them.
                await FlushAsync();
                Report([await WithRetryOnConflict(() => ImportNegotiationFileAsync(file, displayRoot, ct))]);
                continue;
            }

            batch.Add(file);
            if (batch.Count >= FilesPerTransaction)
            {
                await FlushAsync();
            }
        }

        await FlushAsync();
        return new ImportReport(results) { Drift = await DriftAsync(negotiations, claimsInFiles, ct) };
    }

    private async Task<IReadOnlyList<DriftedReport>> DriftAsync(HashSet<string> negotiations, HashSet<Guid> inFiles, CancellationToken ct)
    {
        var drift = new List<DriftedReport>();
        foreach (var inOneDatabase in negotiations.GroupBy(_partitioning.TenantOf))
        {
            await using var session = store.QuerySession(inOneDatabase.Key);
            drift.AddRange(await Drift.ReportsInNoFileAsync(session, [.. inOneDatabase], inFiles, ct));
        }

        return drift;
    }

    private readonly Partitioning _partitioning = Partitioning.Of(store);

    /// <summary>The negotiation a file names, read before anything is decided, to open the session in its database.</summary>
    private static string? NegotiationNamedIn(InputMap? root) => root?.Find("negotiation") is InputScalar { Value: { } id } ? id : null;

    /// <summary>
    /// Sources are registered in every database the ledger is partitioned over, so any negotiation may cite them;
    /// a file's outcome is the most telling of its outcomes there (refused, then registered, then unchanged).
    /// </summary>
    private async Task<IReadOnlyList<FileResult>> RegisterSourcesAsync(IReadOnlyList<string> paths, string displayRoot, CancellationToken ct)
    {
        IReadOnlyList<FileResult>? combined = null;
        foreach (var tenant in _partitioning.OneTenantPerDatabase)
        {
            var results = await RegisterSourcesAsync(tenant, paths, displayRoot, ct);
            combined = combined is null ? results : [.. combined.Zip(results, (a, b) => Rank(b.Outcome) > Rank(a.Outcome) ? b : a)];
        }

        return combined ?? [];

        static int Rank(FileOutcome outcome) => outcome switch
        {
            FileOutcome.Rejected => 2,
            FileOutcome.Imported => 1,
            _ => 0,
        };
    }

    private sealed record ReadSource(string Path, string Name, SourceRegistered? Registered, List<InputError> Errors);

    /// <summary>Sources in one transaction; should it meet a concurrent writer, they are registered one by one.</summary>
    private async Task<IReadOnlyList<FileResult>> RegisterSourcesAsync(string tenant, IReadOnlyList<string> paths, string displayRoot, CancellationToken ct)
    {
        var files = paths.Select(path =>
        {
            var errors = new List<InputError>();
            return new ReadSource(path, Path.GetRelativePath(displayRoot, path), SourceFile.Read(path, displayRoot, errors), errors);
        }).ToList();
        try
        {
            var read = files.Where(f => f.Registered is not null).ToList();
            await using var session = store.LightweightSession(tenant);
            session.LastModifiedBy = writer;
            var existing = (await session.LoadManyAsync<Source>(ct, [.. read.Select(r => StreamKeys.Source(r.Registered!.SourceId))])).ToDictionary(s => s.SourceId);
            var results = new List<FileResult>();
            var registering = 0;
            foreach (var file in files)
            {
                if (file.Registered is not { } registered)
                {
                    results.Add(new FileResult(file.Name, FileOutcome.Rejected, 0, 0, file.Errors));
                    continue;
                }

                var outcome = SourceOutcome(file.Name, registered, existing.GetValueOrDefault(registered.SourceId));
                if (outcome.Outcome == FileOutcome.Imported)
                {
                    session.Events.StartStream(StreamKeys.Source(registered.SourceId), registered);
                    registering++;
                }

                results.Add(outcome);
            }

            if (registering > 0)
            {
                await session.SaveChangesAsync(ct);
            }

            return results;
        }
        catch (Exception e) when (IsWriteConflict(e))
        {
            var redone = new List<FileResult>();
            foreach (var file in files)
            {
                redone.Add(await WithRetryOnConflict(() => ImportSourceAsync(tenant, file.Path, displayRoot, ct)));
            }

            return redone;
        }
    }

    /// <summary>A source is registered once; the same text again is nothing new, other text under its id is refused.</summary>
    private static FileResult SourceOutcome(string name, SourceRegistered registered, Source? existing) =>
        existing is null
            ? new FileResult(name, FileOutcome.Imported, 1, 0, [])
            : existing.ContentHash == registered.ContentHash
                ? new FileResult(name, FileOutcome.Unchanged, 0, 1, [])
                : new FileResult(name, FileOutcome.Rejected, 0, 0, [new InputError(name, 1, "(text)",
                    $"source '{registered.SourceId}' is registered with different text ({existing.ContentHash}, now {registered.ContentHash}); a source's text never changes: register the new text under a new id")]);

    private async Task<FileResult> ImportSourceAsync(string tenant, string textPath, string displayRoot, CancellationToken ct)
    {
        var name = Path.GetRelativePath(displayRoot, textPath);
        var errors = new List<InputError>();
        var registered = SourceFile.Read(textPath, displayRoot, errors);
        if (registered is null)
        {
            return new FileResult(name, FileOutcome.Rejected, 0, 0, errors);
        }

        await using var session = store.LightweightSession(tenant);
        var outcome = SourceOutcome(name, registered, await session.LoadAsync<Source>(StreamKeys.Source(registered.SourceId), ct));
        if (outcome.Outcome != FileOutcome.Imported)
        {
            return outcome;
        }

        session.LastModifiedBy = writer;
        session.Events.StartStream(StreamKeys.Source(registered.SourceId), registered);
        await session.SaveChangesAsync(ct);
        return new FileResult(name, FileOutcome.Imported, 1, 0, []);
    }

    private async Task<FileResult> ImportNegotiationFileAsync(string path, string displayRoot, CancellationToken ct)
    {
        var name = Path.GetRelativePath(displayRoot, path);
        var errors = new List<InputError>();
        var fields = YamlDocument.Load(name, await File.ReadAllTextAsync(path, ct), errors);
        if (fields is null)
        {
            return new FileResult(name, FileOutcome.Rejected, 0, 0, errors);
        }

        await using var session = store.LightweightSessionFor(NegotiationNamedIn(fields.Map));
        session.LastModifiedBy = writer;
        // Seeds are imported first, so the sources a role registration cites are in the store by now.
        var cited = Recorder.SourcesCitedIn(fields.Map).Select(StreamKeys.Source).ToArray();
        var sources = Source.Texts(cited.Length == 0 ? [] : await session.LoadManyAsync<Source>(ct, cited));
        var events = NegotiationFile.Read(fields, id => sources.GetValueOrDefault(id));
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
        CategoryRegistered e => current?.Categories.FirstOrDefault(c => c.Id == e.CategoryId) is not { } c || c != new Category(e.CategoryId, e.Name),
        RoleHeld e => current?.Roles.FirstOrDefault(r => r.SameAs(RoleRegistration.Of(e))) is not { } r || r != RoleRegistration.Of(e),
        _ => true,
    };

    /// <summary>
    /// Development files in one transaction: parse, load what the decider needs, decide, append, commit. Should the
    /// commit meet a concurrent writer, the whole batch is read and decided again on what the store then holds.
    /// </summary>
    private async Task<IReadOnlyList<FileResult>> ImportDevelopmentFilesAsync(
        IReadOnlyList<string> paths,
        string displayRoot,
        Dictionary<string, DevelopmentDeclaration> declared,
        HashSet<Guid> claimsInFiles,
        HashSet<string> negotiations,
        CancellationToken ct)
    {
        var parsed = new List<(string Name, List<InputError> Errors, InputMap? Root)>();
        foreach (var path in paths)
        {
            var name = Path.GetRelativePath(displayRoot, path);
            var errors = new List<InputError>();
            parsed.Add((name, errors, YamlDocument.Parse(name, await File.ReadAllTextAsync(path, ct), errors)));
        }

        var proposals = parsed.Where(p => p.Root is not null).Select(p => new ProposedFile(p.Name, p.Root!)).ToList();
        var decided = new Dictionary<string, FileDecision>(StringComparer.Ordinal);
        foreach (var inOneDatabase in proposals.GroupBy(p => _partitioning.TenantOf(NegotiationNamedIn(p.Root))))
        {
            foreach (var decision in await DecideAndAppendAsync(inOneDatabase.Key, [.. inOneDatabase], declared, claimsInFiles, negotiations, ct))
            {
                decided[decision.File] = decision;
            }
        }

        return [.. parsed.Select(p => p.Root is null
            ? new FileResult(p.Name, FileOutcome.Rejected, 0, 0, p.Errors)
            : Result(decided[p.Name]))];
    }

    private async Task<IReadOnlyList<FileDecision>> DecideAndAppendAsync(
        string tenant,
        IReadOnlyList<ProposedFile> proposals,
        Dictionary<string, DevelopmentDeclaration> declared,
        HashSet<Guid> claimsInFiles,
        HashSet<string> negotiations,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var before = new Dictionary<string, DevelopmentDeclaration>(declared, StringComparer.Ordinal);
            try
            {
                await using var session = store.LightweightSession(tenant);
                session.LastModifiedBy = writer;
                var (negotiationsById, sources) = await LedgerWriter.LoadRegistryAsync(session, proposals, ct);
                var readings = proposals.Select(p => Recorder.Read(p, id => negotiationsById.GetValueOrDefault(id), id => sources.GetValueOrDefault(id))).ToList();
                var state = await LedgerWriter.LoadAsync(session, readings, negotiationsById, sources, ct);
                var decisions = Recorder.Decide(readings, state, new RecordingOptions(writer, _clock.GetUtcNow(), Strict, Reason), declared);
                var outcome = LedgerWriter.Append(session, decisions);
                if (outcome.Events.Count > 0)
                {
                    await session.SaveChangesAsync(ct);
                }

                foreach (var reading in readings)
                {
                    claimsInFiles.UnionWith(reading.ClaimIds);
                    if (reading.NegotiationId is { } negotiation)
                    {
                        negotiations.Add(negotiation);
                    }
                }

                return decisions;
            }
            catch (Exception e) when (attempt < 5 && IsWriteConflict(e))
            {
                // Another writer recorded some of the same claims between our read and our commit: the transaction
                // rolled back whole, so read and decide again.
                declared.Clear();
                foreach (var (key, value) in before)
                {
                    declared[key] = value;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), ct);
            }
        }
    }

    private static FileResult Result(FileDecision decision)
    {
        if (decision.Rejected)
        {
            return new FileResult(decision.File, FileOutcome.Rejected, 0, 0, decision.Errors);
        }

        var appended = decision.Appended.Count();
        var revised = decision.Revised.ToList();
        return new FileResult(decision.File, appended + revised.Count > 0 ? FileOutcome.Imported : FileOutcome.Unchanged, appended, decision.AlreadyRecorded.Count, []) { Revised = revised };
    }

    /// <summary>
    /// Another writer recorded the same source or new stream between our check and our commit: the transaction
    /// rolled back whole, so read again and redo the file.
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
