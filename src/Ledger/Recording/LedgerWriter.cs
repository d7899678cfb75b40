using JasperFx.Events;
using Ledger.Audit;
using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Recording;
using Ledger.Infrastructure;
using Ledger.Negotiations;
using Ledger.Sources;
using Marten;
using Marten.Services.BatchQuerying;

namespace Ledger.Recording;

/// <summary>
/// What an append did. <see cref="Events"/> holds the envelopes of the appended events, keyed by claim id: once the
/// session has committed they carry the event's id, global sequence and stream version, so a caller can report them
/// without reading the events back.
/// </summary>
public sealed record AppendOutcome(IReadOnlyList<FileDecision> Decisions, IReadOnlyDictionary<Guid, IEvent> Events);

/// <summary>
/// The one place a write meets the store, for import and the API alike: it loads what the decider needs, and appends
/// what it decided. Adapters parse their input, call <see cref="LoadAsync"/>, <see cref="Recorder.Decide(IReadOnlyList{FileReading}, LedgerState, RecordingOptions)"/>
/// and <see cref="Append"/>, and commit the session.
/// </summary>
public static class LedgerWriter
{
    /// <summary>The negotiations and sources the proposals name, read in one round trip.</summary>
    public static async Task<(Dictionary<string, Negotiation> Negotiations, Dictionary<string, SourceText> Sources)> LoadRegistryAsync(
        IQuerySession session, IEnumerable<ProposedFile> files, CancellationToken ct)
    {
        var proposals = files.ToList();
        var negotiationKeys = proposals.Select(f => Recorder.NegotiationOf(f.Root)).OfType<string>().Distinct().Select(StreamKeys.Negotiation).ToArray();
        var sourceKeys = proposals.SelectMany(f => Recorder.SourcesCitedIn(f.Root)).Distinct().Select(StreamKeys.Source).ToArray();
        var batch = session.CreateBatchQuery();
        var negotiations = negotiationKeys.Length == 0 ? null : batch.LoadMany<NegotiationRegistration>().ById(negotiationKeys);
        var sources = sourceKeys.Length == 0 ? null : batch.LoadMany<Source>().ById(sourceKeys);
        if (negotiations is not null || sources is not null)
        {
            await batch.Execute(ct);
        }

        return (
            negotiations is null ? [] : (await negotiations).ToDictionary(r => r.Negotiation.Id, r => r.Negotiation),
            Source.Texts(sources is null ? [] : await sources));
    }

    /// <summary>What the ledger holds of the claims and development keys the readings name.</summary>
    public static async Task<LedgerState> LoadAsync(
        IQuerySession session,
        IReadOnlyList<FileReading> readings,
        IReadOnlyDictionary<string, Negotiation> negotiations,
        IReadOnlyDictionary<string, SourceText> sources,
        CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var (claims, developments) = Queue(batch, readings);
        await batch.Execute(ct);
        return await StateAsync(session, negotiations, sources, claims, developments, ct);
    }

    /// <summary>Queues the reads of recorded claims and development keys in a caller's batch (with its locks, say).</summary>
    public static (Task<IReadOnlyList<ClaimRecord>> Claims, IReadOnlyList<Task<IReadOnlyList<KeyOnRecord>>> Developments) Queue(IBatchedQuery batch, IReadOnlyList<FileReading> readings)
    {
        var claimIds = readings.SelectMany(r => r.ClaimIds.Concat(r.References)).Distinct().ToArray();
        var claims = claimIds.Length == 0 ? Task.FromResult<IReadOnlyList<ClaimRecord>>([]) : batch.LoadMany<ClaimRecord>().ById(claimIds);
        var developments = readings
            .Where(r => r.NegotiationId is not null)
            .GroupBy(r => r.NegotiationId!)
            .Select(g =>
            {
                var negotiationId = g.Key;
                var keys = g.SelectMany(r => r.DevelopmentKeys).Distinct().ToArray();
                return batch.Query<ClaimRecord>()
                    .Where(c => c.NegotiationId == negotiationId && keys.Contains(c.DevelopmentKey))
                    .Select(c => new KeyOnRecord(c.NegotiationId, c.DevelopmentKey, c.TrackId, c.Kind))
                    .ToList();
            })
            .ToList();
        return (claims, developments);
    }

    public static async Task<LedgerState> StateAsync(
        IQuerySession session,
        IReadOnlyDictionary<string, Negotiation> negotiations,
        IReadOnlyDictionary<string, SourceText> cited,
        Task<IReadOnlyList<ClaimRecord>> claims,
        IReadOnlyList<Task<IReadOnlyList<KeyOnRecord>>> developments,
        CancellationToken ct)
    {
        var recorded = (await claims).ToDictionary(c => c.Id, c => new RecordedClaim(c.Development, c.EventId, c.RecordedBy));

        // A correction is checked against the outlet of the report it names, which the write may not cite itself.
        var sources = new Dictionary<string, SourceText>(cited);
        var missing = recorded.Values.Select(r => r.Development.Claim.Provenance.SourceId).Where(id => !sources.ContainsKey(id)).Distinct().Select(StreamKeys.Source).ToArray();
        if (missing.Length > 0)
        {
            foreach (var (id, text) in Source.Texts(await session.LoadManyAsync<Source>(ct, missing)))
            {
                sources[id] = text;
            }
        }

        var keys = new Dictionary<(string, string), DevelopmentOnRecord>();
        foreach (var query in developments)
        {
            foreach (var group in (await query).GroupBy(k => (k.NegotiationId, k.DevelopmentKey)))
            {
                keys[group.Key] = new DevelopmentOnRecord(group.Key.NegotiationId, group.Key.DevelopmentKey, group.First().TrackId, group.Select(k => k.Kind).ToHashSet(StringComparer.Ordinal));
            }
        }

        return new LedgerState(
            id => negotiations.GetValueOrDefault(id),
            id => sources.GetValueOrDefault(id),
            id => recorded.GetValueOrDefault(id),
            (negotiation, key) => keys.GetValueOrDefault((negotiation, key)));
    }

    /// <summary>
    /// Appends the events of every accepted decision to their track streams in the caller's session, so they commit
    /// (or fail) together. A revision goes to its report's track. For a track stream named in
    /// <paramref name="expectedVersions"/> (stream key → version the caller last saw), the commit fails with Marten's
    /// concurrency error if another writer appended to it meanwhile.
    /// </summary>
    public static AppendOutcome Append(IDocumentSession session, IReadOnlyList<FileDecision> decisions, IReadOnlyDictionary<string, long>? expectedVersions = null)
    {
        var appended = new Dictionary<Guid, IEvent>();
        var events = decisions.Where(d => !d.Rejected).SelectMany(d => d.Events).ToList();
        foreach (var stream in events.GroupBy(e => StreamKeys.Track(ClaimOf(e).NegotiationId, ClaimOf(e).TrackId)))
        {
            var data = stream.ToArray();
            var action = expectedVersions is not null && expectedVersions.TryGetValue(stream.Key, out var expected)
                ? session.Events.Append(stream.Key, expected + data.Length, data)
                : session.Events.Append(stream.Key, data);
            foreach (var e in action.Events)
            {
                appended[ClaimOf(e.Data).ClaimId] = e;
            }
        }

        return new AppendOutcome(decisions, appended);
    }

    /// <summary>The claim an event records or revises.</summary>
    public static Claim ClaimOf(object e) => e switch
    {
        Development d => d.Claim,
        ReportRevised r => r.After.Claim,
        ReportWithdrawn w => w.Withdrawn.Claim,
        _ => throw new ArgumentException($"not a recording event: {e.GetType().Name}", nameof(e)),
    };
}

/// <summary>One recorded claim's development key, track and kind: what a write checks a key against.</summary>
public sealed record KeyOnRecord(string NegotiationId, string DevelopmentKey, string TrackId, string Kind);
