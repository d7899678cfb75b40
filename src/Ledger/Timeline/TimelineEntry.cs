using JasperFx.Events;
using Ledger.Domain.Developments;
using Marten;
using Marten.Events.Projections;

namespace Ledger.Timeline;

/// <summary>A flat row per claim, ordered by when the development occurred: the negotiation's timeline.</summary>
public sealed record TimelineEntry(
    Guid Id,
    string NegotiationId,
    string TrackId,
    string DevelopmentKey,
    string Kind,
    string Summary,
    string Occurred,
    DateOnly OccurredBy,
    DateOnly Published,
    string SourceId,
    long Sequence);

public sealed partial class TimelineProjection : EventProjection
{
    public TimelineProjection()
    {
        // Only developments make entries: a rebuild then asks the store for their events alone.
        foreach (var type in Development.Types)
        {
            IncludeType(type);
        }
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        if (e.Data is Development development)
        {
            var claim = development.Claim;
            operations.Insert(new TimelineEntry(
                claim.ClaimId,
                claim.NegotiationId,
                claim.TrackId,
                claim.DevelopmentKey,
                development.Kind,
                development.Summary,
                claim.Provenance.Occurred.ToString(),
                claim.Provenance.Occurred.Latest,
                claim.Provenance.Published,
                claim.Provenance.SourceId,
                e.Sequence));
        }

        return ValueTask.CompletedTask;
    }
}
