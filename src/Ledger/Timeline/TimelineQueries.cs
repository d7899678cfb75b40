using Ledger.Domain.Tracks;
using Marten;

namespace Ledger.Timeline;

public static class TimelineQueries
{
    /// <summary>The negotiation's claims in the order the developments occurred, filtered by the two time axes.</summary>
    public static async Task<IReadOnlyList<TimelineEntry>> ForAsync(IQuerySession session, string negotiationId, string? trackId, TimeAxes axes, CancellationToken ct)
    {
        IQueryable<TimelineEntry> query = session.Query<TimelineEntry>().Where(e => e.NegotiationId == negotiationId);
        if (trackId is not null)
        {
            query = query.Where(e => e.TrackId == trackId);
        }

        if (axes.AsOf is { } asOf)
        {
            query = query.Where(e => e.OccurredBy <= asOf);
        }

        if (axes.KnownOn is { } knownOn)
        {
            query = query.Where(e => e.Published <= knownOn);
        }

        var entries = await query.ToListAsync(ct);
        return [.. entries.OrderBy(e => e.OccurredBy).ThenBy(e => e.DevelopmentKey, StringComparer.Ordinal).ThenBy(e => e.Published).ThenBy(e => e.SourceId, StringComparer.Ordinal)];
    }
}
