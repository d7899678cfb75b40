using JasperFx.Events;
using Ledger.Domain.Negotiations;
using Marten.Events.Aggregation;

namespace Ledger.Negotiations;

/// <summary>A negotiation's registrations as stored: the document id is the stream key.</summary>
public sealed record NegotiationRegistration(string Id, Negotiation Negotiation);

/// <summary>The registered parties, actors and tracks of a negotiation, kept current inline.</summary>
public sealed partial class NegotiationProjection : SingleStreamProjection<NegotiationRegistration, string>
{
    public NegotiationProjection()
    {
        // Evolve takes any event, so the events it folds are named here: otherwise every append (claims to track
        // streams too) would read a registration document for each stream it touches, and a rebuild would read
        // every claim of every track.
        IncludeType<NegotiationOpened>();
        IncludeType<PartyRegistered>();
        IncludeType<ActorRegistered>();
        IncludeType<TrackOpened>();
        IncludeType<CategoryRegistered>();
        IncludeType<RoleHeld>();
    }

    public override NegotiationRegistration? Evolve(NegotiationRegistration? snapshot, string id, IEvent e)
    {
        var current = snapshot?.Negotiation;
        var next = e.Data switch
        {
            NegotiationOpened opened => current?.Apply(opened) ?? Negotiation.Create(opened),
            PartyRegistered party => current?.Apply(party),
            ActorRegistered actor => current?.Apply(actor),
            TrackOpened track => current?.Apply(track),
            CategoryRegistered category => current?.Apply(category),
            RoleHeld role => current?.Apply(role),
            _ => current,
        };
        return next is null ? snapshot : new NegotiationRegistration(id, next);
    }
}
