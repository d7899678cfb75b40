using JasperFx.Events;
using Ledger.Domain.Developments;
using Marten;
using Marten.Events.Projections;

namespace Ledger.Audit;

/// <summary>
/// One row per claim, keyed by its deterministic claim id: the store's guarantee that a report is recorded
/// once (a second insert of the same id fails the whole transaction), and the index from a claim to its
/// event and to the characters of its source. The stream version, global sequence and timestamp are settled as
/// the transaction commits, so audits read them from the event itself.
/// </summary>
public sealed record ClaimRecord(
    Guid Id,
    string NegotiationId,
    string TrackId,
    string DevelopmentKey,
    string Kind,
    string SourceId,
    int QuoteStart,
    int QuoteEnd,
    string StreamKey,
    Guid EventId);

public sealed partial class ClaimRegistryProjection : EventProjection
{
    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        if (e.Data is Development development)
        {
            operations.Insert(ToRecord(e, development));
        }

        return ValueTask.CompletedTask;
    }

    private static ClaimRecord ToRecord(IEvent e, Development development)
    {
        var claim = development.Claim;
        return new ClaimRecord(
            claim.ClaimId,
            claim.NegotiationId,
            claim.TrackId,
            claim.DevelopmentKey,
            development.Kind,
            claim.Provenance.SourceId,
            claim.Provenance.Quote.Start,
            claim.Provenance.Quote.End,
            e.StreamKey!,
            e.Id);
    }
}
