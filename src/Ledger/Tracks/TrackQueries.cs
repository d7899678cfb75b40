using Ledger.Audit;
using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Ledger.Negotiations;
using Marten;

namespace Ledger.Tracks;

/// <summary>A track and its status, with the registration data needed to present it.</summary>
public sealed record TrackReport(Track Track, TrackStatus Status);

public sealed record NegotiationStatus(Negotiation Negotiation, TimeAxes Axes, DateTimeOffset? RecordedAt, IReadOnlyList<TrackReport> Tracks);

public sealed class NotFoundException(string message) : Exception(message);

/// <summary>
/// Track status now, as of a date, as known on a date, and as the ledger showed it at a past moment of
/// recording. The first three filter the track's claims by their own dates and fold them; the last replays
/// the track stream up to a recording timestamp with Marten's live aggregation.
/// </summary>
public static class TrackQueries
{
    public static async Task<IReadOnlyList<Negotiation>> NegotiationsAsync(IQuerySession session, CancellationToken ct) =>
        [.. (await session.Query<NegotiationRegistration>().ToListAsync(ct)).Select(r => r.Negotiation).OrderBy(n => n.Id, StringComparer.Ordinal)];

    /// <summary>The negotiation named, or the only one there is.</summary>
    public static async Task<Negotiation> NegotiationAsync(IQuerySession session, string? negotiationId, CancellationToken ct)
    {
        if (negotiationId is not null)
        {
            return (await session.LoadAsync<NegotiationRegistration>(StreamKeys.Negotiation(negotiationId), ct))?.Negotiation
                ?? throw new NotFoundException($"No negotiation '{negotiationId}' is registered.");
        }

        var all = await NegotiationsAsync(session, ct);
        return all.Count switch
        {
            1 => all[0],
            0 => throw new NotFoundException("No negotiation is registered yet: run `ledger import` first."),
            _ => throw new NotFoundException($"Several negotiations are registered ({string.Join(", ", all.Select(n => n.Id))}): name one with --negotiation."),
        };
    }

    public static async Task<NegotiationStatus> StatusAsync(
        IQuerySession session,
        string? negotiationId,
        string? trackId,
        TimeAxes axes,
        DateTimeOffset? recordedAt,
        CancellationToken ct)
    {
        // A named negotiation and its claims are read in one round trip.
        IReadOnlyList<Development>? prefetched = null;
        Negotiation negotiation;
        if (negotiationId is not null && recordedAt is null)
        {
            var batch = session.CreateBatchQuery();
            var registration = batch.Load<NegotiationRegistration>(StreamKeys.Negotiation(negotiationId));
            var found = batch.Query<ClaimRecord>().Where(Range(negotiationId, trackId, axes)).Select(c => c.Development).ToList();
            await batch.Execute(ct);
            negotiation = (await registration)?.Negotiation ?? throw new NotFoundException($"No negotiation '{negotiationId}' is registered.");
            prefetched = await found;
        }
        else
        {
            negotiation = await NegotiationAsync(session, negotiationId, ct);
        }

        var tracks = negotiation.Tracks.Where(t => trackId is null || t.Id == trackId).ToList();
        if (tracks.Count == 0)
        {
            throw new NotFoundException($"No track '{trackId}' in negotiation '{negotiation.Id}'. Tracks: {string.Join(", ", negotiation.Tracks.Select(t => t.Id))}.");
        }

        IReadOnlyList<TrackReport> reports;
        if (recordedAt is null)
        {
            var claims = (prefetched ?? await ClaimsAsync(session, negotiation.Id, trackId, axes, ct)).ToLookup(c => c.Claim.TrackId);
            reports = [.. tracks.Select(t => new TrackReport(t, TrackStatusFold.Fold(negotiation.Id, t.Id, claims[t.Id], axes)))];
        }
        else
        {
            var list = new List<TrackReport>();
            foreach (var track in tracks)
            {
                var history = await session.Events.AggregateStreamAsync<TrackHistory>(
                    StreamKeys.Track(negotiation.Id, track.Id), timestamp: recordedAt.Value.UtcDateTime, token: ct);
                list.Add(new TrackReport(track, TrackStatusFold.Fold(negotiation.Id, track.Id, history?.Claims ?? [], axes)));
            }

            reports = list;
        }

        return new NegotiationStatus(negotiation, axes, recordedAt, reports);
    }

    /// <summary>
    /// The claims of a negotiation (or one track) that the two axes let through, read as one indexed range:
    /// corrections and retractions are filtered by publication only, as the fold does.
    /// </summary>
    public static async Task<IReadOnlyList<Development>> ClaimsAsync(IQuerySession session, string negotiationId, string? trackId, TimeAxes axes, CancellationToken ct) =>
        // Only the payload is needed: the row's other columns are for indexes and audits.
        [.. await session.Query<ClaimRecord>().Where(Range(negotiationId, trackId, axes)).Select(c => c.Development).ToListAsync(ct)];

    /// <summary>The claim rows of a negotiation (or one track) that the two time axes let through.</summary>
    private static System.Linq.Expressions.Expression<Func<ClaimRecord, bool>> Range(string negotiationId, string? trackId, TimeAxes axes)
    {
        var asOf = axes.AsOf ?? DateOnly.MaxValue;
        var knownOn = axes.KnownOn ?? DateOnly.MaxValue;
        return trackId is null
            ? c => c.NegotiationId == negotiationId && (c.OccurredBy <= asOf || c.Amends) && c.Published <= knownOn
            : c => c.NegotiationId == negotiationId && c.TrackId == trackId && (c.OccurredBy <= asOf || c.Amends) && c.Published <= knownOn;
    }
}
