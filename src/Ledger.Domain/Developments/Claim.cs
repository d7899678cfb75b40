using Ledger.Domain.Provenance;

namespace Ledger.Domain.Developments;

/// <summary>
/// What every development event carries: its deterministic claim id, the development it is a claim about,
/// the track it belongs to and its provenance. Two sources reporting one development are two claims
/// with the same <see cref="DevelopmentKey"/> and different <see cref="ClaimId"/>s.
/// </summary>
public sealed record Claim(
    Guid ClaimId,
    string NegotiationId,
    string TrackId,
    string DevelopmentKey,
    Provenance.Provenance Provenance,
    string? Note = null)
{
    /// <summary>
    /// Other tracks this development belongs to as well: one sentence that agrees on several lines of the negotiation
    /// is one development, shown on each of its tracks, not a copy per track.
    /// </summary>
    public IReadOnlyList<string> AlsoTracks { get; init; } = [];

    /// <summary>
    /// Fields the coder worked out rather than read in the quote (an identification, a date from "the day before"),
    /// each with the reasoning: shown as the coder's, never as the source's words.
    /// </summary>
    public IReadOnlyDictionary<string, string> Inferred { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A claim is identified by what it is about and the exact words that report it, so the same report
    /// imported twice is the same claim, and a second quote from the same source is a second claim.
    /// </summary>
    public static Guid IdFor(string negotiationId, string developmentKey, string sourceId, string exactQuote) =>
        DeterministicId.For("claim", negotiationId, developmentKey, sourceId, exactQuote);
}
