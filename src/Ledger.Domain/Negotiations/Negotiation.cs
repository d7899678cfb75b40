namespace Ledger.Domain.Negotiations;

public sealed record Party(string Id, string Name, string Role);

public sealed record Category(string Id, string Name);

public sealed record Actor(string Id, string Name, string? PartyId, string? Role, IReadOnlyList<string> Aliases);

public sealed record Track(string Id, string Title, string? Description);

/// <summary>What is registered about a negotiation: its parties, actors and tracks.</summary>
public sealed record Negotiation(
    string Id,
    string Title,
    string? Description,
    IReadOnlyList<Party> Parties,
    IReadOnlyList<Actor> Actors,
    IReadOnlyList<Track> Tracks)
{
    /// <summary>The categories of what is exchanged, registered for this negotiation.</summary>
    public IReadOnlyList<Category> Categories { get; init; } = [];

    public static Negotiation Create(NegotiationOpened e) => new(e.NegotiationId, e.Title, e.Description, [], [], []);

    public Negotiation Apply(NegotiationOpened e) => this with { Title = e.Title, Description = e.Description };

    public Negotiation Apply(PartyRegistered e) =>
        this with { Parties = [.. Parties.Where(p => p.Id != e.PartyId), new Party(e.PartyId, e.Name, e.Role)] };

    public Negotiation Apply(ActorRegistered e) =>
        this with { Actors = [.. Actors.Where(a => a.Id != e.ActorId), new Actor(e.ActorId, e.Name, e.PartyId, e.Role, e.Aliases)] };

    public Negotiation Apply(TrackOpened e) =>
        this with { Tracks = [.. Tracks.Where(t => t.Id != e.TrackId), new Track(e.TrackId, e.Title, e.Description)] };

    public Negotiation Apply(CategoryRegistered e) =>
        this with { Categories = [.. Categories.Where(c => c.Id != e.CategoryId), new Category(e.CategoryId, e.Name)] };

    public bool HasParty(string partyId) => Parties.Any(p => p.Id == partyId);

    public bool HasCategory(string categoryId) => Categories.Any(c => c.Id == categoryId);

    public bool HasTrack(string trackId) => Tracks.Any(t => t.Id == trackId);

    /// <summary>Resolves an actor by id, name or any registered alias, ignoring case and diacritics-free spacing.</summary>
    public Actor? FindActor(string nameOrId)
    {
        var wanted = Normalise(nameOrId);
        return Actors.FirstOrDefault(a =>
            Normalise(a.Id) == wanted || Normalise(a.Name) == wanted || a.Aliases.Any(alias => Normalise(alias) == wanted));
    }

    private static string Normalise(string s) => string.Join(' ', s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
}
