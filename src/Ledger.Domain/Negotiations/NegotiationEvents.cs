namespace Ledger.Domain.Negotiations;

// The vocabulary of a negotiation's registration stream. Negotiations, parties, actors and tracks are data,
// so the same code serves any negotiation.

public sealed record NegotiationOpened(string NegotiationId, string Title, string? Description);

/// <summary>
/// A party to the negotiation, or a mediator, host, co-organiser or observer of it: the role is the sources' word for
/// it, as data. Events stored when roles were a fixed list hold the list's names ("Mediator"), read as "mediator".
/// </summary>
public sealed record PartyRegistered(string NegotiationId, string PartyId, string Name, string Role)
{
    public string Role { get; init; } = Developments.RegisteredId.Normalise(Role);
}

/// <summary>A category of what the sides exchange (prisoners of war, bodies, civilians, detainees...), as the negotiation's sources name them.</summary>
public sealed record CategoryRegistered(string NegotiationId, string CategoryId, string Name);

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

/// <summary>
/// An actor holding a role for a party over a span of time, as one source has it: <see cref="Role"/> is an id
/// (<c>head-of-delegation</c>), <see cref="Title"/> the source's words for it ("Ukraine's lead negotiator"),
/// <see cref="From"/> and <see cref="To"/> the bounds the source gives (either may be open).
/// </summary>
public sealed record RoleHeld(
    string NegotiationId,
    string ActorId,
    string Role,
    string? PartyId,
    string Title,
    Provenance.FuzzyDate? From,
    Provenance.FuzzyDate? To,
    string SourceId,
    string? Quote);
