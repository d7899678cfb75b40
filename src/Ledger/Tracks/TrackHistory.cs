using JasperFx.Events;
using Ledger.Domain.Developments;
using Ledger.Domain.Recording;
using Marten.Events.Aggregation;

namespace Ledger.Tracks;

/// <summary>
/// Every claim recorded on one track stream, as replayed from the stream itself (a live aggregation): what
/// the ledger held at a past moment of recording.
/// </summary>
public sealed record TrackHistory(string Id, string NegotiationId, string TrackId, IReadOnlyList<Development> Claims)
{
    public TrackHistory Add(Development development) => this with { Claims = [.. Claims, development] };

    public TrackHistory Revise(ReportRevised revised) =>
        this with { Claims = [.. Claims.Select(c => c.Claim.ClaimId == revised.ClaimId ? revised.After : c)] };

    public TrackHistory Withdraw(ReportWithdrawn withdrawn) =>
        this with { Claims = [.. Claims.Where(c => c.Claim.ClaimId != withdrawn.ClaimId)] };
}

public sealed partial class TrackHistoryProjection : SingleStreamProjection<TrackHistory, string>
{
    public override TrackHistory? Evolve(TrackHistory? snapshot, string id, IEvent e) => e.Data switch
    {
        Development d => (snapshot ?? new TrackHistory(id, d.Claim.NegotiationId, d.Claim.TrackId, [])).Add(d),
        ReportRevised r => snapshot?.Revise(r),
        ReportWithdrawn w => snapshot?.Withdraw(w),
        _ => snapshot,
    };
}
