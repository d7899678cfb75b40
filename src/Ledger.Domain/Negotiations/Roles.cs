using System.Globalization;
using Ledger.Domain.Provenance;

namespace Ledger.Domain.Negotiations;

/// <summary>One registration of a role: who held it for which party, between which bounds, on whose word.</summary>
public sealed record RoleRegistration(string ActorId, string Role, string? PartyId, string Title, FuzzyDate? From, FuzzyDate? To, string SourceId, string? Quote)
{
    public static RoleRegistration Of(RoleHeld e) => new(e.ActorId, e.Role, e.PartyId, e.Title, e.From, e.To, e.SourceId, e.Quote);

    /// <summary>Two registrations are the same if they are one source's word on one actor's role for one party.</summary>
    public bool SameAs(RoleRegistration other) =>
        ActorId == other.ActorId && Role == other.Role && PartyId == other.PartyId && SourceId == other.SourceId;

    public override string ToString() =>
        $"{Title} ({Role}{(PartyId is null ? "" : $", {PartyId}")}) {Span(From, To)} per {SourceId}";

    internal static string Span(FuzzyDate? from, FuzzyDate? to) => (from, to) switch
    {
        (null, null) => "with no dates",
        ({ } f, null) => $"from {f}",
        (null, { } t) => $"until {t}",
        ({ } f, { } t) => $"from {f} to {t}",
    };
}

/// <summary>Whether the registered roles have an actor holding a role on a day.</summary>
public enum Holding
{
    /// <summary>Certainly: the day lies within the bounds however their vague dates are read.</summary>
    Held,
    /// <summary>The vague bounds leave it open.</summary>
    Undetermined,
    /// <summary>Certainly not: the day lies outside the bounds however they are read.</summary>
    NotHeld,
}

/// <summary>What a role named instead of a person resolves to on a day.</summary>
public sealed record RoleResolution(string? ActorId, string? ResolvedFrom, string? Unresolved);

/// <summary>
/// Roles in time. The registrations of one actor's role for one party are read as one tenure: from the earliest
/// <c>from</c> to the latest <c>to</c> among them (an open bound leaves the tenure open on that side). A vague date
/// bounds it both ways: "by 2025-05-16" as <c>from</c> means held from 16 May at the latest, perhaps long before.
/// </summary>
public static class Tenure
{
    private static readonly HashSet<string> Filler = ["of", "the", "a", "an", "and", "s"];

    /// <summary>Whether the registrations (all of one actor's role for one party) have it held on <paramref name="day"/>.</summary>
    public static Holding HoldingOn(IReadOnlyCollection<RoleRegistration> tenure, FuzzyDate day)
    {
        if (tenure.Count == 0)
        {
            return Holding.NotHeld;
        }

        var openStart = tenure.Any(r => r.From is null);
        var openEnd = tenure.Any(r => r.To is null);
        var certainStart = openStart ? DateOnly.MinValue : tenure.Min(r => r.From!.Latest);
        var possibleStart = openStart ? DateOnly.MinValue : tenure.Min(r => r.From!.Earliest);
        var certainEnd = openEnd ? DateOnly.MaxValue : tenure.Max(r => r.To!.Earliest);
        var possibleEnd = openEnd ? DateOnly.MaxValue : tenure.Max(r => r.To!.Latest);
        if (day.Latest < possibleStart || day.Earliest > possibleEnd)
        {
            return Holding.NotHeld;
        }

        return certainStart <= day.Earliest && day.Latest <= certainEnd ? Holding.Held : Holding.Undetermined;
    }

    /// <summary>
    /// Whether the source's words for someone's role name a registered role: all the words of the role's id, or of
    /// one of the titles it is registered under, occur in them (case, punctuation and "of", "the", "and" aside).
    /// </summary>
    public static bool Names(string roleAsGiven, string role, IEnumerable<string> titles)
    {
        var given = Words(roleAsGiven);
        return new[] { role }.Concat(titles).Select(Words).Any(w => w.Count > 0 && w.IsSubsetOf(given));
    }

    private static HashSet<string> Words(string text) =>
        [.. new string([.. text.ToLower(CultureInfo.InvariantCulture).Select(c => char.IsLetterOrDigit(c) ? c : ' ')])
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !Filler.Contains(w))];
}
