using Ledger.Audit;
using Ledger.Developments;
using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Sources;
using Ledger.Infrastructure;
using Ledger.Negotiations;
using Ledger.Sources;
using System.Threading.Channels;
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

    /// <summary>
    /// How many development files share one transaction. Each file is still all or nothing: a file with an
    /// error is left out of its batch, and a batch that meets a concurrent writer is redone file by file.
    /// </summary>
    public int FilesPerTransaction { get; init; } = 50;

    /// <summary>Where the time goes, when a caller wants to know (the bench); null measures nothing.</summary>
    public ImportProfile? Profile { get; init; }

    /// <summary>
    /// Whether the next batch is read, parsed and checked against its negotiation and sources while the previous
    /// one commits (on a second connection). Batches still commit one at a time and in file order, and what a
    /// file refers to among earlier files' claims is read only once they have committed. Off by default: it pays
    /// only with a core to spare, and on a loaded 2-core machine (the bench's B1f) it was no faster or slower.
    /// </summary>
    public bool PrepareAhead { get; init; }

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

        // One batch prepared ahead of the one committing, so memory stays that of a few batches whatever the corpus.
        var channel = Channel.CreateBounded<Work>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(() => PrepareAllAsync(channel.Writer, seedsFolder, eventsFolder, displayRoot, stop.Token), CancellationToken.None);
        try
        {
            while (await ImportProfile.TimeAsync(Profile, ImportPhase.AwaitPrepared, () => channel.Reader.WaitToReadAsync(ct).AsTask()))
            {
                if (!channel.Reader.TryRead(out var work))
                {
                    continue;
                }

                switch (work)
                {
                    case SourceWork sources:
                        Report(await RegisterSourcesAsync(sources, displayRoot, ct));
                        break;
                    case NegotiationWork negotiation:
                        Report([await ImportProfile.TimeAsync(Profile, ImportPhase.Negotiations, () => WithRetryOnConflict(() => ImportEventFileAsync(negotiation.Path, displayRoot, ct)))]);
                        break;
                    case DevelopmentWork developments:
                        Report(await CommitDevelopmentFilesAsync(developments.Batch, displayRoot, ct));
                        break;
                    case BarrierWork barrier:
                        barrier.Reached.TrySetResult();
                        break;
                }
            }
        }
        finally
        {
            // Should a commit fail, stop preparing: its exception is the one to report. An exception while preparing
            // has already reached this side through the channel.
            if (!producer.IsCompleted)
            {
                await stop.CancelAsync();
            }

            await producer.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return new ImportReport(results);
    }

    /// <summary>What the committing side does next, in file order.</summary>
    private abstract record Work;

    private sealed record SourceWork(IReadOnlyList<ReadSource> Files) : Work;

    private sealed record NegotiationWork(string Path) : Work;

    private sealed record DevelopmentWork(PreparedBatch Batch) : Work;

    /// <summary>Reached once everything before it has committed: what follows depends on it.</summary>
    private sealed record BarrierWork(TaskCompletionSource Reached) : Work;

    private sealed record ReadSource(string Path, string Name, SourceRegistered? Registered, List<ImportError> Errors);

    private sealed record PreparedFile(string Path, string Name, List<ImportError> Errors, YamlFields? Fields, IReadOnlyList<Development> Claims);

    private sealed record PreparedBatch(IReadOnlyList<PreparedFile> Files);

    /// <summary>
    /// Reads every file in import order and hands the committing side one batch at a time. Sources come first;
    /// development files are checked against sources and negotiations only once those have committed.
    /// </summary>
    private async Task PrepareAllAsync(ChannelWriter<Work> writer, string seedsFolder, string eventsFolder, string displayRoot, CancellationToken ct)
    {
        try
        {
            async Task UntilCommittedAsync()
            {
                var barrier = new BarrierWork(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                await writer.WriteAsync(barrier, ct);
                await barrier.Reached.Task.WaitAsync(ct);
            }

            async Task SendAsync(Work work)
            {
                await writer.WriteAsync(work, ct);
                if (!PrepareAhead)
                {
                    await UntilCommittedAsync();
                }
            }

            foreach (var files in SourceFilesIn(seedsFolder).Chunk(FilesPerTransaction))
            {
                await SendAsync(new SourceWork(ReadSources(files, displayRoot)));
            }

            await UntilCommittedAsync();

            var batch = new List<string>();
            foreach (var file in EventFilesIn(eventsFolder))
            {
                if (Path.GetFileName(file) == NegotiationFile.FileName)
                {
                    // Registrations change what later files may refer to: commit what came before, then them.
                    if (batch.Count > 0)
                    {
                        await SendAsync(new DevelopmentWork(await PrepareDevelopmentFilesAsync(batch, displayRoot, ct)));
                        batch = [];
                    }

                    await writer.WriteAsync(new NegotiationWork(file), ct);
                    await UntilCommittedAsync();
                    continue;
                }

                batch.Add(file);
                if (batch.Count >= FilesPerTransaction)
                {
                    await SendAsync(new DevelopmentWork(await PrepareDevelopmentFilesAsync(batch, displayRoot, ct)));
                    batch = [];
                }
            }

            if (batch.Count > 0)
            {
                await SendAsync(new DevelopmentWork(await PrepareDevelopmentFilesAsync(batch, displayRoot, ct)));
            }

            writer.Complete();
        }
        catch (Exception e)
        {
            writer.Complete(e);
            throw;
        }
    }

    private List<ReadSource> ReadSources(IEnumerable<string> paths, string displayRoot) =>
        [.. paths.Select(path =>
        {
            var errors = new List<ImportError>();
            var registered = ImportProfile.Time(Profile, ImportPhase.SourceFiles, () => SourceFile.Read(path, displayRoot, errors));
            return new ReadSource(path, Path.GetRelativePath(displayRoot, path), registered, errors);
        })];

    /// <summary>Sources in one transaction; should it meet a concurrent writer, they are registered one by one.</summary>
    private async Task<IReadOnlyList<FileResult>> RegisterSourcesAsync(SourceWork work, string displayRoot, CancellationToken ct)
    {
        try
        {
            var read = work.Files.Where(f => f.Registered is not null).ToList();
            await using var session = store.LightweightSession();
            session.LastModifiedBy = writer;
            var existing = (await ImportProfile.TimeAsync(Profile, ImportPhase.SourceLookup, () => session.LoadManyAsync<Source>(ct, [.. read.Select(r => StreamKeys.Source(r.Registered!.SourceId))])))
                .ToDictionary(s => s.SourceId);
            var results = new List<FileResult>();
            var registering = 0;
            foreach (var file in work.Files)
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
                await ImportProfile.SaveChangesAsync(Profile, session, ct);
            }

            return results;
        }
        catch (Exception e) when (IsWriteConflict(e))
        {
            var redone = new List<FileResult>();
            foreach (var file in work.Files)
            {
                redone.Add(await WithRetryOnConflict(() => ImportSourceAsync(file.Path, displayRoot, ct)));
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
                : new FileResult(name, FileOutcome.Rejected, 0, 0, [new ImportError(name, 1, "(text)",
                    $"source '{registered.SourceId}' is registered with different text ({existing.ContentHash}, now {registered.ContentHash}); a source's text never changes: register the new text under a new id")]);

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

    public async Task<FileResult> ImportEventFileAsync(string path, string displayRoot, CancellationToken ct)
    {
        if (Path.GetFileName(path) != NegotiationFile.FileName)
        {
            return await WithRetryOnConflict(async () => (await ImportDevelopmentFilesOnceAsync([path], displayRoot, ct))[0]);
        }

        var name = Path.GetRelativePath(displayRoot, path);
        var errors = new List<ImportError>();
        var fields = YamlDocument.Load(name, await File.ReadAllTextAsync(path, ct), errors);
        if (fields is null)
        {
            return new FileResult(name, FileOutcome.Rejected, 0, 0, errors);
        }

        await using var session = store.LightweightSession();
        session.LastModifiedBy = writer;
        return await ImportNegotiationAsync(session, name, fields, errors, ct);
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

    /// <summary>
    /// Development files in one transaction. Each file is read and checked on its own; a file with an error is
    /// rejected and appends nothing, the others commit together. Should the commit meet a concurrent writer,
    /// the files are redone one by one, each retried on its own.
    /// </summary>
    private async Task<IReadOnlyList<FileResult>> CommitDevelopmentFilesAsync(PreparedBatch batch, string displayRoot, CancellationToken ct)
    {
        try
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = writer;
            return await AppendAsync(session, batch, ct);
        }
        catch (Exception e) when (IsWriteConflict(e))
        {
            var redone = new List<FileResult>();
            foreach (var file in batch.Files)
            {
                redone.Add(await WithRetryOnConflict(async () => (await ImportDevelopmentFilesOnceAsync([file.Path], displayRoot, ct))[0]));
            }

            return redone;
        }
    }

    private async Task<IReadOnlyList<FileResult>> ImportDevelopmentFilesOnceAsync(IReadOnlyList<string> paths, string displayRoot, CancellationToken ct)
    {
        var batch = await PrepareDevelopmentFilesAsync(paths, displayRoot, ct);
        await using var session = store.LightweightSession();
        session.LastModifiedBy = writer;
        return await AppendAsync(session, batch, ct);
    }

    /// <summary>
    /// Reads, parses and checks development files against what they refer to by name (their negotiation and
    /// cited sources), read from the store once for the whole batch. Nothing is written.
    /// </summary>
    private async Task<PreparedBatch> PrepareDevelopmentFilesAsync(IReadOnlyList<string> paths, string displayRoot, CancellationToken ct)
    {
        var files = new List<(string Path, string Name, List<ImportError> Errors, YamlFields? Fields)>();
        foreach (var path in paths)
        {
            var name = Path.GetRelativePath(displayRoot, path);
            var errors = new List<ImportError>();
            var text = await ImportProfile.TimeAsync(Profile, ImportPhase.FileRead, () => File.ReadAllTextAsync(path, ct));
            files.Add((path, name, errors, ImportProfile.Time(Profile, ImportPhase.YamlParse, () => YamlDocument.Load(name, text, errors))));
        }

        var parsed = files.Where(f => f.Fields is not null).Select(f => f.Fields!).ToList();
        var negotiationKeys = parsed.Select(f => f.Optional("negotiation")).OfType<string>().Distinct().Select(StreamKeys.Negotiation).ToArray();
        var sourceKeys = parsed.SelectMany(DevelopmentFile.SourceIdsIn).Distinct().Select(StreamKeys.Source).ToArray();
        var lookupStart = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var session = store.QuerySession();
        var negotiations = negotiationKeys.Length == 0
            ? new Dictionary<string, Negotiation>()
            : (await session.LoadManyAsync<NegotiationRegistration>(ct, negotiationKeys)).ToDictionary(r => r.Negotiation.Id, r => r.Negotiation);
        var sources = Source.Texts(sourceKeys.Length == 0 ? [] : await session.LoadManyAsync<Source>(ct, sourceKeys));
        Profile?.Add(ImportPhase.ReferenceLookup, lookupStart);

        return new PreparedBatch(ImportProfile.Time(Profile, ImportPhase.Validate, () => files.Select(f => new PreparedFile(f.Path, f.Name, f.Errors, f.Fields, f.Fields is null
            ? []
            : DevelopmentFile.Read(f.Fields, id => negotiations.GetValueOrDefault(id), id => sources.GetValueOrDefault(id)))).ToList()));
    }

    /// <summary>
    /// Appends the claims of a prepared batch in the session, leaving out whole every file with an error, once
    /// it has read which claims (and which claims corrections refer to) are already recorded.
    /// </summary>
    private async Task<IReadOnlyList<FileResult>> AppendAsync(IDocumentSession session, PreparedBatch batch, CancellationToken ct)
    {
        var recorded = await ImportProfile.TimeAsync(Profile, ImportPhase.RecordedLookup, () => ClaimWriter.RecordedAsync(
            session,
            batch.Files.SelectMany(f => f.Claims.SelectMany(c => new[] { c.Claim.ClaimId, ReferencedClaim(c) })).Where(id => id != Guid.Empty),
            ct));

        var buildStart = System.Diagnostics.Stopwatch.GetTimestamp();
        var inBatch = new HashSet<Guid>();
        var results = new List<FileResult>();
        foreach (var (_, name, errors, fields, claims) in batch.Files)
        {
            if (fields is not null)
            {
                CheckReferences(claims, fields, id => recorded.Contains(id) || inBatch.Contains(id));
            }

            if (errors.Count > 0)
            {
                results.Add(new FileResult(name, FileOutcome.Rejected, 0, 0, errors));
                continue;
            }

            // Claims an earlier file of this batch is appending count as recorded, as they will be once it commits.
            var known = new HashSet<Guid>(recorded);
            known.UnionWith(inBatch);
            var outcome = ClaimWriter.Append(session, claims, known);
            inBatch.UnionWith(outcome.Appended.Select(c => c.Claim.ClaimId));
            results.Add(outcome.Appended.Count == 0
                ? new FileResult(name, FileOutcome.Unchanged, 0, outcome.AlreadyRecorded.Count, [])
                : new FileResult(name, FileOutcome.Imported, outcome.Appended.Count, outcome.AlreadyRecorded.Count, []));
        }

        Profile?.Add(ImportPhase.BuildEvents, buildStart);
        if (inBatch.Count > 0)
        {
            await ImportProfile.SaveChangesAsync(Profile, session, ct);
        }

        return results;
    }

    /// <summary>A correction or retraction must name a report that exists, in the store or in the same file or request.</summary>
    public static async Task CheckReferencesAsync(IQuerySession session, IReadOnlyList<Development> claims, YamlFields fields, CancellationToken ct)
    {
        var recorded = await ClaimWriter.RecordedAsync(session, claims.Select(ReferencedClaim).Where(id => id != Guid.Empty), ct);
        CheckReferences(claims, fields, recorded.Contains);
    }

    private static void CheckReferences(IReadOnlyList<Development> claims, YamlFields fields, Func<Guid, bool> isRecorded)
    {
        var inFile = claims.Select(c => c.Claim.ClaimId).ToHashSet();
        foreach (var claim in claims.Where(c => ReferencedClaim(c) is var target && target != Guid.Empty && !inFile.Contains(target) && !isRecorded(target)))
        {
            fields.Error("developments", $"'{claim.Claim.DevelopmentKey}' ({claim.Kind}) refers to a report that is not recorded: check its development, source and quote");
        }
    }

    /// <summary>The earlier report a correction or retraction names, or <see cref="Guid.Empty"/>.</summary>
    private static Guid ReferencedClaim(Development claim) => claim switch
    {
        ReportCorrected r => r.SupersededClaimId,
        ReportRetracted r => r.RetractedClaimId,
        _ => Guid.Empty,
    };

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
