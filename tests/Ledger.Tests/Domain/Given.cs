using Ledger.Domain.Developments;
using Ledger.Domain.Provenance;

namespace Ledger.Tests.Domain;

/// <summary>Builds claims for Given/When/Then tests of the pure domain.</summary>
internal static class Given
{
    public const string Negotiation = "talks";
    public const string Track = "exchanges";

    public static Claim Claim(string key, string source, string occurred, string published, string? quote = null, string? actor = null)
    {
        Assert.True(FuzzyDate.TryParse(occurred, out var date), $"bad test date {occurred}");
        var exact = quote ?? $"{key} per {source}";
        return new Claim(
            Ledger.Domain.Developments.Claim.IdFor(Negotiation, key, source, exact),
            Negotiation,
            Track,
            key,
            new Provenance(source, new QuoteAnchor(exact, null, null, 0, exact.Length), actor is null ? null : new Attribution("north", actor, actor), date!, DateOnly.Parse(published, System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static ProposalMade Proposal(string key, string source, string occurred, string published, string text = "exchange 1,200 for 1,200") =>
        new(Claim(key, source, occurred, published), "north", "south", text);

    public static AgreementReached Agreement(string key, string source, string occurred, string published, string text = "exchange 1,200 for 1,200") =>
        new(Claim(key, source, occurred, published), ["north", "south"], text);

    public static ExchangeCompleted Exchange(string key, string source, string occurred, string published, int toNorth, int toSouth, QuantityQualifier qualifier = QuantityQualifier.Exactly) =>
        new(Claim(key, source, occurred, published), "prisoners-of-war", [new Transfer("north", new Quantity(toNorth, qualifier)), new Transfer("south", new Quantity(toSouth, qualifier))], "prisoners exchanged");

    public static PositionStated Position(string key, string source, string occurred, string published, string topic = "ceasefire", string? actor = null) =>
        new(Claim(key, source, occurred, published, actor: actor), "north", topic, "insists on a full ceasefire");
}
