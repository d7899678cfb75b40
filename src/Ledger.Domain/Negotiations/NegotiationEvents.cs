namespace Ledger.Domain.Negotiations;

// The vocabulary of a negotiation's registration stream. Negotiations, parties, actors and tracks are data,
// so the same code serves any negotiation.

public sealed record NegotiationOpened(string NegotiationId, string Title, string? Description);

/// <summary>A party to the negotiation, or a mediator or observer of it.</summary>
public sealed record PartyRegistered(string NegotiationId, string PartyId, string Name, PartyRole Role);

public enum PartyRole
{
    Party,
    Mediator,
    Observer,
}

/// <summary>A person, with every spelling the sources use for them.</summary>
public sealed record ActorRegistered(
    string NegotiationId,
    string ActorId,
    string Name,
    string? PartyId,
    string? Role,
    IReadOnlyList<string> Aliases);

/// <summary>A track: one line of the negotiation whose status is followed on its own.</summary>
public sealed record TrackOpened(string NegotiationId, string TrackId, string Title, string? Description);
