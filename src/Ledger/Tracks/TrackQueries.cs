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
        var negotiation = await NegotiationAsync(session, negotiationId, ct);
        var tracks = negotiation.Tracks.Where(t => trackId is null || t.Id == trackId).ToList();
        if (tracks.Count == 0)
        {
            throw new NotFoundException($"No track '{trackId}' in negotiation '{negotiation.Id}'. Tracks: {string.Join(", ", negotiation.Tracks.Select(t => t.Id))}.");
        }

        var reports = new List<TrackReport>();
        foreach (var track in tracks)
        {
            var history = await HistoryAsync(session, negotiation.Id, track.Id, recordedAt, ct);
            reports.Add(new TrackReport(track, TrackStatusFold.Fold(negotiation.Id, track.Id, history?.Claims ?? [], axes)));
        }

        return new NegotiationStatus(negotiation, axes, recordedAt, reports);
    }

    public static async Task<TrackHistory?> HistoryAsync(IQuerySession session, string negotiationId, string trackId, DateTimeOffset? recordedAt, CancellationToken ct)
    {
        var key = StreamKeys.Track(negotiationId, trackId);
        return recordedAt is null
            ? await session.LoadAsync<TrackHistory>(key, ct)
            : await session.Events.AggregateStreamAsync<TrackHistory>(key, timestamp: recordedAt.Value.UtcDateTime, token: ct);
    }
}
