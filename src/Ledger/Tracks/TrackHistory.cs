using JasperFx.Events;
using Ledger.Domain.Developments;
using Marten.Events.Aggregation;

namespace Ledger.Tracks;

/// <summary>
/// Every claim recorded on one track stream. The status is derived from it by the pure fold, so the stored
/// document never holds a conclusion that a rebuild could contradict.
/// </summary>
public sealed record TrackHistory(string Id, string NegotiationId, string TrackId, IReadOnlyList<Development> Claims)
{
    public TrackHistory Add(Development development) => this with { Claims = [.. Claims, development] };
}

public sealed partial class TrackHistoryProjection : SingleStreamProjection<TrackHistory, string>
{
    public override TrackHistory? Evolve(TrackHistory? snapshot, string id, IEvent e) => e.Data switch
    {
        Development d => (snapshot ?? new TrackHistory(id, d.Claim.NegotiationId, d.Claim.TrackId, [])).Add(d),
        _ => snapshot,
    };
}
