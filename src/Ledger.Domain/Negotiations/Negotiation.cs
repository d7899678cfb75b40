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

    /// <summary>The roles actors held, each registration with its bounds and its source.</summary>
    public IReadOnlyList<RoleRegistration> Roles { get; init; } = [];

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

    public Negotiation Apply(RoleHeld e)
    {
        var registration = RoleRegistration.Of(e);
        return this with { Roles = [.. Roles.Where(r => !r.SameAs(registration)), registration] };
    }

    public bool HasRole(string role) => Roles.Any(r => r.Role == role);

    /// <summary>
    /// Who held <paramref name="role"/> for <paramref name="partyId"/> on <paramref name="day"/>, by the registered
    /// roles: one actor certainly holding it and no other possibly; otherwise no one, with the reason.
    /// </summary>
    public RoleResolution ResolveRole(string role, string partyId, Provenance.FuzzyDate day)
    {
        var tenures = Roles.Where(r => r.Role == role && r.PartyId == partyId).GroupBy(r => r.ActorId)
            .Select(g => (Actor: g.Key, Registrations: g.ToList(), Holding: Tenure.HoldingOn(g.ToList(), day)))
            .ToList();
        var held = tenures.Where(t => t.Holding == Holding.Held).ToList();
        var undetermined = tenures.Where(t => t.Holding == Holding.Undetermined).ToList();
        var on = $"role {role} of {partyId} on {day}";
        string Registered(IEnumerable<(string Actor, List<RoleRegistration> Registrations, Holding Holding)> those) =>
            string.Join("; ", those.Select(t => $"{t.Actor}: {string.Join(", ", t.Registrations.Select(r => RoleRegistration.Span(r.From, r.To) + " per " + r.SourceId))}"));

        return (held.Count, undetermined.Count) switch
        {
            (1, 0) => new RoleResolution(held[0].Actor, on, null),
            (0, 0) => new RoleResolution(null, null, $"no one is registered as holding {on}{(tenures.Count == 0 ? "" : $" (registered: {Registered(tenures)})")}"),
            (0, _) => new RoleResolution(null, null, $"the registered dates do not settle who held {on}: {Registered(undetermined)}"),
            _ => new RoleResolution(null, null, $"more than one actor may have held {on}: {Registered([.. held, .. undetermined])}"),
        };
    }

    /// <summary>
    /// Where the source's words for a person's role (<paramref name="roleAsGiven"/>) name a registered role of theirs
    /// that their registrations certainly have them not holding on <paramref name="day"/>: both side by side. Null
    /// when they held it, when the dates leave it open, or when the words name none of their registered roles.
    /// </summary>
    public string? RoleConflict(string actorId, string roleAsGiven, Provenance.FuzzyDate day)
    {
        var theirs = Roles.Where(r => r.ActorId == actorId).ToList();
        var named = theirs.GroupBy(r => (r.Role, r.PartyId))
            .Where(g => Tenure.Names(roleAsGiven, g.Key.Role, g.Select(r => r.Title)))
            .ToList();
        var notHeld = named.Where(g => Tenure.HoldingOn(g.ToList(), day) == Holding.NotHeld).ToList();
        if (notHeld.Count == 0)
        {
            return null;
        }

        var heldThen = theirs.GroupBy(r => (r.Role, r.PartyId))
            .Where(g => Tenure.HoldingOn(g.ToList(), day) == Holding.Held)
            .Select(g => $"{g.First().Title} ({g.Key.Role})")
            .ToList();
        return $"the source calls {actorId} \"{roleAsGiven}\" on {day}; the registered roles have {actorId} as "
            + string.Join("; ", notHeld.Select(g => $"{g.Key.Role} {string.Join(", ", g.Select(r => $"{RoleRegistration.Span(r.From, r.To)} per {r.SourceId}"))}"))
            + $", not on {day}" + (heldThen.Count == 0 ? "" : $", when they have {actorId} as {string.Join(", ", heldThen)}");
    }

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
