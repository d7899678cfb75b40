using Ledger.Audit;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Ledger.Sources;
using Ledger.Tracks;
using Marten;

namespace Ledger.Export;

/// <summary>What an export writes: a negotiation's registry, its claims as recorded now, and the sources they cite.</summary>
public sealed record ExportedLedger(Negotiation Negotiation, IReadOnlyList<ClaimRecord> Claims, IReadOnlyDictionary<string, Source> Sources);

public static class ExportQueries
{
    /// <summary>
    /// A negotiation's claims (of one track, or all) that the two time axes let through, in the order they occurred;
    /// an unknown negotiation or track is a <see cref="NotFoundException"/>.
    /// </summary>
    public static async Task<ExportedLedger> LoadAsync(IQuerySession session, string? negotiationId, string? trackId, TimeAxes axes, CancellationToken ct)
    {
        var negotiation = await TrackQueries.NegotiationAsync(session, negotiationId, ct);
        TrackQueries.RequireTrack(negotiation, trackId);

        var asOf = axes.AsOf ?? DateOnly.MaxValue;
        var knownOn = axes.KnownOn ?? DateOnly.MaxValue;
        var id = negotiation.Id;
        var query = session.Query<ClaimRecord>().Where(c => c.NegotiationId == id && (c.OccurredBy <= asOf || c.Amends) && c.Published <= knownOn);
        if (trackId is not null)
        {
            query = query.Where(c => c.TrackId == trackId);
        }

        var claims = (await query.ToListAsync(ct))
            .OrderBy(c => c.OccurredBy).ThenBy(c => c.Published).ThenBy(c => c.TrackId, StringComparer.Ordinal)
            .ThenBy(c => c.DevelopmentKey, StringComparer.Ordinal).ThenBy(c => c.SourceId, StringComparer.Ordinal).ThenBy(c => c.QuoteStart)
            .ToList();
        var cited = claims.Select(c => c.SourceId)
            .Concat(negotiation.Roles.Select(r => r.SourceId))
            .Distinct(StringComparer.Ordinal).Select(StreamKeys.Source).ToArray();
        var sources = cited.Length == 0 ? [] : await session.LoadManyAsync<Source>(ct, cited);
        return new ExportedLedger(negotiation, claims, sources.ToDictionary(s => s.SourceId, StringComparer.Ordinal));
    }
}
