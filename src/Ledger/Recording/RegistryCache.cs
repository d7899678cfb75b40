using System.Collections.Concurrent;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Recording;
using Ledger.Infrastructure;
using Ledger.Negotiations;
using Ledger.Sources;
using Marten;
using Marten.Services.BatchQuerying;

namespace Ledger.Recording;

/// <summary>
/// What the HTTP write path decides against that rarely or never changes, kept in the server's memory so an append
/// does not read it again: registered sources with their texts, and negotiation registries.
/// <para>
/// A source never changes once registered (other text under the same id is refused), so a loaded source is kept for
/// the life of the process; a source not found is not remembered, so one registered later (by any node) is loaded by
/// the next request that cites it.
/// </para>
/// <para>
/// A negotiation's registry does change (parties, actors, tracks are added, an actor re-registered), possibly by
/// another node, so it is kept with the version of its stream it was read at. A write reads the stream's current
/// version in the same round trip that takes its locks (<see cref="QueueVersions"/>) and starts again with a fresh
/// registry if the two differ (<see cref="RegistryChangedException"/>): what it is finally decided against is the
/// registry as of its locks, as if read there. A refusal decided against a cached registry is checked again against
/// a fresh one before it is given, so a party, track or actor registered meanwhile is never reported unknown.
/// </para>
/// </summary>
public sealed class RegistryCache
{
    private readonly ConcurrentDictionary<string, SourceText> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, VersionedNegotiation> _negotiations = new(StringComparer.Ordinal);

    /// <summary>A negotiation's registry as of <see cref="Version"/> of its stream.</summary>
    public sealed record VersionedNegotiation(Negotiation Negotiation, long Version);

    /// <summary>What one write is checked against: its negotiations (with the versions they were read at) and the sources it cites.</summary>
    public sealed record View(
        IReadOnlyDictionary<string, VersionedNegotiation> Negotiations,
        IReadOnlyDictionary<string, SourceText> Sources,
        bool NegotiationsFromCache)
    {
        public Negotiation? Negotiation(string id) => Negotiations.GetValueOrDefault(id)?.Negotiation;

        public SourceText? Source(string id) => Sources.GetValueOrDefault(id);
    }

    /// <summary>A negotiation's stream version read with a write's locks, and the track streams' (0 for a track not yet written).</summary>
    public sealed record StreamVersionRow(string Id, long Version);

    /// <summary>
    /// The negotiations and sources <paramref name="file"/> names: from memory, and whatever is not there in one round
    /// trip. With <paramref name="fresh"/>, negotiations are read from the store whatever is cached.
    /// </summary>
    public async Task<View> LoadAsync(IQuerySession session, ProposedFile file, bool fresh, CancellationToken ct)
    {
        var negotiationIds = Recorder.NegotiationOf(file.Root) is { } one ? new[] { one } : [];
        var sourceIds = Recorder.SourcesCitedIn(file.Root).Distinct(StringComparer.Ordinal).ToList();

        var negotiations = new Dictionary<string, VersionedNegotiation>(StringComparer.Ordinal);
        var sources = new Dictionary<string, SourceText>(StringComparer.Ordinal);
        var fromCache = false;
        foreach (var id in negotiationIds)
        {
            if (!fresh && _negotiations.TryGetValue(id, out var cached))
            {
                negotiations[id] = cached;
                fromCache = true;
            }
        }

        foreach (var id in sourceIds)
        {
            if (_sources.TryGetValue(id, out var cached))
            {
                sources[id] = cached;
            }
        }

        var missingNegotiations = negotiationIds.Where(id => !negotiations.ContainsKey(id)).ToArray();
        var missingSources = sourceIds.Where(id => !sources.ContainsKey(id)).ToArray();
        if (missingNegotiations.Length == 0 && missingSources.Length == 0)
        {
            return new View(negotiations, sources, fromCache);
        }

        var batch = session.CreateBatchQuery();
        var loadedNegotiations = missingNegotiations.Length == 0 ? null : QueueNegotiations(batch, session, missingNegotiations);
        var loadedSources = missingSources.Length == 0 ? null : batch.LoadMany<Source>().ById(missingSources.Select(StreamKeys.Source).ToArray());
        await batch.Execute(ct);

        foreach (var loaded in loadedNegotiations is null ? [] : await loadedNegotiations)
        {
            var entry = Remember(loaded.Registration.Negotiation, loaded.Version);
            negotiations[entry.Negotiation.Id] = entry;
        }

        foreach (var (id, text) in Source.Texts(loadedSources is null ? [] : await loadedSources))
        {
            sources[id] = _sources.GetOrAdd(id, text);
        }

        return new View(negotiations, sources, fromCache);
    }

    /// <summary>Sources by id, from memory or (those not there) the store, in one round trip; ids not registered are left out.</summary>
    public async Task<IReadOnlyDictionary<string, SourceText>> SourcesAsync(IQuerySession session, IEnumerable<string> ids, CancellationToken ct)
    {
        var found = new Dictionary<string, SourceText>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (_sources.TryGetValue(id, out var text))
            {
                found[id] = text;
            }
            else
            {
                missing.Add(id);
            }
        }

        if (missing.Count > 0)
        {
            foreach (var (id, text) in Source.Texts(await session.LoadManyAsync<Source>(ct, missing.Select(StreamKeys.Source))))
            {
                found[id] = _sources.GetOrAdd(id, text);
            }
        }

        return found;
    }

    /// <summary>
    /// Queues, in a caller's batch (after its locks), the read of the current versions of the given streams: the
    /// negotiation's, to tell whether a cached registry is still current, and the track streams'.
    /// </summary>
    public static Task<IReadOnlyList<StreamVersionRow>> QueueVersions(IBatchedQuery batch, IQuerySession session, IReadOnlyCollection<string> streamKeys) =>
        batch.Query<StreamVersionRow>(
            $"select jsonb_build_object('id', id, 'version', version) from {StreamTable(session)} where id = any(?)",
            [streamKeys.ToArray()]);

    /// <summary>
    /// Forgets a negotiation's registry read at <paramref name="version"/> (found stale), unless a newer one has
    /// replaced it meanwhile.
    /// </summary>
    public void Forget(string negotiationId, long version)
    {
        if (_negotiations.TryGetValue(negotiationId, out var cached) && cached.Version == version)
        {
            _negotiations.TryRemove(KeyValuePair.Create(negotiationId, cached));
        }
    }

    private VersionedNegotiation Remember(Negotiation negotiation, long version) =>
        _negotiations.AddOrUpdate(
            negotiation.Id,
            _ => new VersionedNegotiation(negotiation, version),
            (_, cached) => cached.Version >= version ? cached : new VersionedNegotiation(negotiation, version));

    private sealed record LoadedNegotiation(long Version, NegotiationRegistration Registration);

    /// <summary>
    /// The registration document and its stream's version in one statement, so the two are of one snapshot: the
    /// document is projected inline, in the transaction that moved the version.
    /// </summary>
    private static Task<IReadOnlyList<LoadedNegotiation>> QueueNegotiations(IBatchedQuery batch, IQuerySession session, string[] negotiationIds)
    {
        var documents = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(NegotiationRegistration)).TableName.QualifiedName;
        return batch.Query<LoadedNegotiation>(
            $"select jsonb_build_object('version', s.version, 'registration', d.data) from {documents} d join {StreamTable(session)} s on s.id = d.id where d.id = any(?)",
            [negotiationIds.Select(StreamKeys.Negotiation).ToArray()]);
    }

    private static string StreamTable(IQuerySession session) => $"{session.DocumentStore.Options.Events.DatabaseSchemaName}.mt_streams";
}

/// <summary>A negotiation's registry changed between the time a write read it and its locks: the write starts again.</summary>
public sealed class RegistryChangedException(string negotiationId) : Exception($"negotiation '{negotiationId}' was changed by another writer");
