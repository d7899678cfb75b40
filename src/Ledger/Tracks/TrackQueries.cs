using Ledger.Audit;
using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Ledger.Negotiations;
using Marten;
using Marten.Services.BatchQuerying;

namespace Ledger.Tracks;

/// <summary>A track and its status, with the registration data needed to present it.</summary>
public sealed record TrackReport(Track Track, TrackStatus Status);

public sealed record NegotiationStatus(Negotiation Negotiation, TimeAxes Axes, DateTimeOffset? RecordedAt, IReadOnlyList<TrackReport> Tracks);

public class NotFoundException(string message) : Exception(message);

/// <summary>A negotiation does not have the track asked for; the message names the tracks it has.</summary>
public sealed class UnknownTrackException(string message) : NotFoundException(message);

/// <summary>
/// Track status now, as of a date, as known on a date, and as the ledger showed it at a past moment of
/// recording. The first three filter the track's claims by their own dates and fold them; the last replays
/// the track stream up to a recording timestamp with Marten's live aggregation.
/// </summary>
public static class TrackQueries
{
    public static async Task<IReadOnlyList<Negotiation>> NegotiationsAsync(IQuerySession session, CancellationToken ct) =>
        [.. (await session.Query<NegotiationRegistration>().ToListAsync(ct)).Select(r => r.Negotiation).OrderBy(n => n.Id, StringComparer.Ordinal)];

    /// <summary>
    /// Every negotiation, from every database the ledger is partitioned over (see <see cref="Partitioning"/>).
    /// </summary>
    public static async Task<IReadOnlyList<Negotiation>> NegotiationsAsync(IDocumentStore store, CancellationToken ct) =>
        [.. (await store.FanOutAsync(s => NegotiationsAsync(s, ct))).OrderBy(n => n.Id, StringComparer.Ordinal)];

    /// <summary>
    /// The negotiation a command names, or on a ledger partitioned over several databases the only one there is
    /// (on one database, <see cref="NegotiationAsync"/> finds the only one itself).
    /// </summary>
    public static async Task<string?> NegotiationIdAsync(IDocumentStore store, string? negotiationId, CancellationToken ct)
    {
        if (negotiationId is not null || !Partitioning.Of(store).IsPartitioned)
        {
            return negotiationId;
        }

        var all = await NegotiationsAsync(store, ct);
        return all.Count switch
        {
            1 => all[0].Id,
            0 => throw new NotFoundException("No negotiation is registered yet: run `ledger import` first."),
            _ => throw new NotFoundException($"Several negotiations are registered ({string.Join(", ", all.Select(n => n.Id))}): name one with --negotiation."),
        };
    }

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

    /// <summary>How many of a track's latest reports a status lists developments from before it bounds its lists.</summary>
    public const int DefaultWindow = 256;

    public static Task<NegotiationStatus> StatusAsync(
        IQuerySession session,
        string? negotiationId,
        string? trackId,
        TimeAxes axes,
        DateTimeOffset? recordedAt,
        CancellationToken ct) =>
        StatusAsync(session, negotiationId, trackId, axes, recordedAt, DefaultWindow, ct);

    /// <summary>
    /// A track with up to <paramref name="window"/> visible reports is folded whole; a longer one is answered from
    /// its latest reports and what SQL selects and adds up for it (<see cref="LongTrackStatus"/>), so the cost does not
    /// grow with its history.
    /// </summary>
    public static async Task<NegotiationStatus> StatusAsync(
        IQuerySession session,
        string? negotiationId,
        string? trackId,
        TimeAxes axes,
        DateTimeOffset? recordedAt,
        int window,
        CancellationToken ct)
    {
        if (recordedAt is not null)
        {
            var recordedNegotiation = await NegotiationAsync(session, negotiationId, ct);
            var list = new List<TrackReport>();
            foreach (var track in TracksOf(recordedNegotiation, trackId))
            {
                var history = await session.Events.AggregateStreamAsync<TrackHistory>(
                    StreamKeys.Track(recordedNegotiation.Id, track.Id), timestamp: recordedAt.Value.UtcDateTime, token: ct);
                list.Add(new TrackReport(track, TrackStatusFold.Fold(recordedNegotiation.Id, track.Id, history?.Claims ?? [], axes, DateOnly.FromDateTime(recordedAt.Value.UtcDateTime))));
            }

            return new NegotiationStatus(recordedNegotiation, axes, recordedAt, list);
        }

        // A named track of a named negotiation is read with the negotiation in one round trip.
        var table = ClaimTable(session);
        var batch = session.CreateBatchQuery();
        Task<NegotiationRegistration?>? registration = null;
        Negotiation negotiation;
        IReadOnlyList<Track> tracks;
        Dictionary<string, LatestReports> latest;
        Task<IReadOnlyList<Development>> implementing;
        if (negotiationId is not null && trackId is not null)
        {
            registration = batch.Load<NegotiationRegistration>(StreamKeys.Negotiation(negotiationId));
            latest = new() { [trackId] = LatestReports.Query(batch, table, negotiationId, trackId, axes, window) };
            implementing = Implementing(batch, negotiationId, axes);
            await batch.Execute(ct);
            negotiation = (await registration)?.Negotiation ?? throw new NotFoundException($"No negotiation '{negotiationId}' is registered.");
            tracks = TracksOf(negotiation, trackId);
        }
        else
        {
            negotiation = await NegotiationAsync(session, negotiationId, ct);
            tracks = TracksOf(negotiation, trackId);
            latest = tracks.ToDictionary(t => t.Id, t => LatestReports.Query(batch, table, negotiation.Id, t.Id, axes, window));
            implementing = Implementing(batch, negotiation.Id, axes);
            await batch.Execute(ct);
        }

        // Elapsed time and lapses are counted to the date asked, or to today: the fold never reads a clock itself.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var related = await implementing;

        var reports = new List<TrackReport>();
        foreach (var track in tracks)
        {
            var (reported, corrections) = await latest[track.Id].ResultsAsync();
            var elsewhere = related.Where(r => r.Claim.TrackId != track.Id).ToList();
            var linked = elsewhere.Where(r => r.Claim.AlsoTracks.Contains(track.Id)).ToList();
            var status = reported.Count <= window && corrections is not null
                ? TrackStatusFold.Fold(negotiation.Id, track.Id, [.. reported, .. corrections, .. linked], axes, today, elsewhere)
                : reported.Count > window
                    ? await LongTrackStatus.TryFoldAsync(session, negotiation.Id, track.Id, axes, reported, window, ct, today)
                    : null;
            status ??= TrackStatusFold.Fold(negotiation.Id, track.Id, [.. await ClaimsAsync(session, negotiation.Id, track.Id, axes, ct), .. linked], axes, today, elsewhere);
            reports.Add(new TrackReport(track, status));
        }

        return new NegotiationStatus(negotiation, axes, recordedAt, reports);
    }

    /// <summary>
    /// Claims that reach beyond their own track: exchanges and running totals that name an agreement (its status shows
    /// them whichever track they are on), and developments that belong to several tracks.
    /// </summary>
    private static Task<IReadOnlyList<Development>> Implementing(Marten.Services.BatchQuerying.IBatchedQuery batch, string negotiationId, TimeAxes axes)
    {
        var asOf = axes.AsOf ?? DateOnly.MaxValue;
        var knownOn = axes.KnownOn ?? DateOnly.MaxValue;
        return batch.Query<ClaimRecord>()
            .Where(c => c.NegotiationId == negotiationId && (c.AgreementKey != null || c.Linked) && (c.OccurredBy <= asOf || c.Amends) && c.Published <= knownOn)
            .Select(c => c.Development)
            .ToList();
    }

    internal static string ClaimTable(IQuerySession session) =>
        session.DocumentStore.Options.FindOrResolveDocumentType(typeof(ClaimRecord)).TableName.QualifiedName;

    /// <summary>Refuses a track the negotiation does not have, naming the ones it has; no track (null) is every track.</summary>
    /// <exception cref="NotFoundException">The negotiation has no track <paramref name="trackId"/>.</exception>
    public static void RequireTrack(Negotiation negotiation, string? trackId) => _ = TracksOf(negotiation, trackId);

    private static List<Track> TracksOf(Negotiation negotiation, string? trackId)
    {
        var tracks = negotiation.Tracks.Where(t => trackId is null || t.Id == trackId).ToList();
        return tracks.Count > 0
            ? tracks
            : throw new UnknownTrackException($"No track '{trackId}' in negotiation '{negotiation.Id}'. Tracks: {string.Join(", ", negotiation.Tracks.Select(t => t.Id))}.");
    }

    /// <summary>
    /// A track's latest visible reports (one more than the window, newest first) and its visible corrections and
    /// retractions (null if there are more than the window holds): one statement, each part read through an index.
    /// </summary>
    private sealed record LatestReports(Task<IReadOnlyList<Development>> Rows, int Window)
    {
        public static LatestReports Query(IBatchedQuery batch, string table, string negotiationId, string trackId, TimeAxes axes, int window)
        {
            var asOf = axes.AsOf ?? DateOnly.MaxValue;
            var knownOn = axes.KnownOn ?? DateOnly.MaxValue;
            return new LatestReports(
                batch.Query<Development>(
                    $"""
                    select development from (
                      (select data -> 'development' as development from {table}
                       where negotiation_id = ? and track_id = ? and occurred_by <= ? and amended_claim_id is null and published <= ?
                       order by occurred_by desc limit ?)
                      union all
                      (select data -> 'development' from {table}
                       where negotiation_id = ? and track_id = ? and kind = 'report-corrected' and published <= ? limit ?)
                      union all
                      (select data -> 'development' from {table}
                       where negotiation_id = ? and track_id = ? and kind = 'report-retracted' and published <= ? limit ?)
                    ) as latest
                    """,
                    negotiationId, trackId, asOf, knownOn, window + 1,
                    negotiationId, trackId, knownOn, window + 1,
                    negotiationId, trackId, knownOn, window + 1),
                window);
        }

        public async Task<(IReadOnlyList<Development> Reported, IReadOnlyList<Development>? Corrections)> ResultsAsync()
        {
            var rows = await Rows;
            var corrections = rows.Where(d => d is ReportCorrected or ReportRetracted).ToList();
            var reported = rows.Where(d => d is not (ReportCorrected or ReportRetracted)).OrderByDescending(d => d.Claim.Provenance.Occurred.Latest).ToList();
            var tooMany = corrections.OfType<ReportCorrected>().Count() > Window || corrections.OfType<ReportRetracted>().Count() > Window;
            return (reported, tooMany ? null : corrections);
        }
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
