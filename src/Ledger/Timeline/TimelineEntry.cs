using JasperFx.Events;
using Ledger.Domain.Developments;
using Ledger.Domain.Recording;
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
        foreach (var type in DevelopmentKinds.Types)
        {
            IncludeType(type);
        }

        IncludeType<ReportRevised>();
        IncludeType<ReportWithdrawn>();
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case Development development:
                operations.Insert(Entry(development, e.Sequence));
                break;
            case ReportRevised revised:
                // A coding fix changes what the entry says, not where it stands among recordings.
                operations.Store(Entry(revised.After, e.Sequence));
                break;
            case ReportWithdrawn withdrawn:
                operations.Delete<TimelineEntry>(withdrawn.ClaimId);
                break;
        }

        return ValueTask.CompletedTask;
    }

    private static TimelineEntry Entry(Development development, long sequence)
    {
        var claim = development.Claim;
        return new TimelineEntry(
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
                sequence);
    }
}
