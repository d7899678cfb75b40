using JasperFx.Events;
using Ledger.Audit;
using Ledger.Domain.Developments;
using Ledger.Infrastructure;
using Marten;

namespace Ledger.Developments;

/// <summary>
/// What an append did. <see cref="Events"/> holds the envelopes of the appended claims, keyed by claim id: once the
/// session has committed they carry the event's id, global sequence and stream version, so a caller can report them
/// without reading the events back.
/// </summary>
public sealed record AppendOutcome(IReadOnlyList<Development> Appended, IReadOnlyList<Development> AlreadyRecorded, IReadOnlyDictionary<Guid, IEvent> Events);

/// <summary>
/// The one write path for claims, shared by import and the API. Claims already recorded are recognised by
/// their deterministic id and skipped; the rest are appended to their track streams in the caller's
/// session, so they commit (or fail) together. The claim registry's unique id is the store's backstop
/// against a concurrent writer recording the same claim in between.
/// </summary>
public static class ClaimWriter
{
    public static Task<AppendOutcome> AppendAsync(IDocumentSession session, IReadOnlyList<Development> claims, CancellationToken ct) =>
        AppendAsync(session, claims, null, ct);

    /// <summary>
    /// As above; for a track stream named in <paramref name="expectedVersions"/> (stream key → version the caller
    /// last saw), the commit fails with Marten's concurrency error if another writer appended to it meanwhile.
    /// </summary>
    public static async Task<AppendOutcome> AppendAsync(
        IDocumentSession session,
        IReadOnlyList<Development> claims,
        IReadOnlyDictionary<string, long>? expectedVersions,
        CancellationToken ct)
    {
        var existing = await RecordedAsync(session, claims.Select(c => c.Claim.ClaimId), ct);
        return Append(session, claims, existing, expectedVersions);
    }

    /// <summary>Which of these claim ids the store has already recorded.</summary>
    public static async Task<IReadOnlySet<Guid>> RecordedAsync(IQuerySession session, IEnumerable<Guid> claimIds, CancellationToken ct)
    {
        var ids = claimIds.Distinct().ToArray();
        return ids.Length == 0 ? new HashSet<Guid>() : (await session.LoadManyAsync<ClaimRecord>(ct, ids)).Select(r => r.Id).ToHashSet();
    }

    /// <summary>Appends the claims not in <paramref name="existing"/>, when the caller has already read which are recorded.</summary>
    public static AppendOutcome Append(
        IDocumentSession session,
        IReadOnlyList<Development> claims,
        IReadOnlySet<Guid> existing,
        IReadOnlyDictionary<string, long>? expectedVersions = null)
    {
        var fresh = claims.Where(c => !existing.Contains(c.Claim.ClaimId)).DistinctBy(c => c.Claim.ClaimId).ToList();
        var appended = new Dictionary<Guid, IEvent>();
        foreach (var stream in fresh.GroupBy(c => StreamKeys.Track(c.Claim.NegotiationId, c.Claim.TrackId)))
        {
            var events = stream.Cast<object>().ToArray();
            var action = expectedVersions is not null && expectedVersions.TryGetValue(stream.Key, out var expected)
                ? session.Events.Append(stream.Key, expected + events.Length, events)
                : session.Events.Append(stream.Key, events);
            foreach (var e in action.Events)
            {
                appended[((Development)e.Data).Claim.ClaimId] = e;
            }
        }

        return new AppendOutcome(fresh, [.. claims.Where(c => existing.Contains(c.Claim.ClaimId))], appended);
    }
}
