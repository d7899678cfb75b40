using Ledger.Domain.Developments;
using Ledger.Domain.Provenance;
using Ledger.Domain.Tracks;

namespace Ledger.Tests.Domain;

/// <summary>
/// Whether sources really disagree: compatibility per field, corroboration by independent sources, contradictions linked
/// across developments, and every version of a row kept. Given these claims, When folded, Then this status.
/// </summary>
public class DisagreementTests
{
    private static TrackStatus Fold(params Development[] claims) => TrackStatusFold.Fold(Given.Negotiation, Given.Track, claims);

    private static Claim From(string key, string source, string? outlet = null, string? quote = null, string occurred = "2025-07-23", string published = "2025-07-23")
    {
        var claim = Given.Claim(key, source, occurred, published, quote: quote);
        return claim with { Provenance = claim.Provenance with { Outlet = outlet } };
    }

    [Theory]
    [InlineData("count-to-north", "at least 1,000", "1,200", true)]
    [InlineData("count-to-north", "more than 7,000", "7,000", true)]
    [InlineData("count-to-north", "about 1,700", "1,700", true)]
    [InlineData("count-to-north", "1,968", "about 2,000", true)]
    [InlineData("count-to-north", "more than 2,000", "about 1,900", false)]
    [InlineData("count-to-north", "1,000", "1,200", false)]
    [InlineData("count-to-north", "all", "20", true)]
    [InlineData("quantity-bodies", "up to 30", "25", true)]
    [InlineData("venue", "Istanbul", "Çırağan Palace, Istanbul", true)]
    [InlineData("venue", "Istanbul", "Geneva", false)]
    [InlineData("occurred", "2025-06", "2025-06-02", true)]
    [InlineData("occurred", "2025-06-01", "2025-06-02", false)]
    [InlineData("occurred", "undated, published 2025-07-23", "2025-07-20", false)]
    [InlineData("response", "accepted", "rejected", false)]
    public void A_value_only_less_precise_than_another_is_compatible_and_a_different_one_is_not(string fact, string a, string b, bool compatible)
    {
        Assert.Equal(compatible, Compatibility.Compatible(fact, a, b));
        Assert.Equal(compatible, Compatibility.Compatible(fact, b, a));
    }

    [Fact]
    public void Given_a_city_and_a_palace_in_it_When_folded_Then_the_venue_is_not_disputed()
    {
        var status = Fold(
            new MeetingHeld(From("round-3", "a"), "3", "Istanbul", null, null, [], "Third round"),
            new MeetingHeld(From("round-3", "b"), "3", "Çırağan Palace, Istanbul", null, null, [], "Third round"));

        Assert.Empty(status.Disputes);
    }

    [Fact]
    public void Given_two_sources_with_incompatible_counts_When_folded_Then_the_count_is_disputed_with_both_versions()
    {
        var status = Fold(
            new ExchangeCompleted(From("swap", "a"), "prisoners-of-war", [new Transfer("north", new Quantity(1000))], "swap"),
            new ExchangeCompleted(From("swap", "b"), "prisoners-of-war", [new Transfer("north", new Quantity(1200))], "swap"));

        var dispute = Assert.Single(status.Disputes);
        Assert.Equal("count-to-north", dispute.Fact);
        Assert.Equal(["1,000", "1,200"], dispute.Versions.Select(v => v.Value).Order());
    }

    [Fact]
    public void Given_a_republication_and_a_verbatim_wire_copy_When_folded_Then_each_counts_once_as_an_independent_source()
    {
        const string wire = "Russia and Ukraine exchanged 250 prisoners each.";
        var status = Fold(
            new ExchangeCompleted(From("swap", "tass-1", outlet: "TASS", quote: wire), "prisoners-of-war", [], "swap"),
            new ExchangeCompleted(From("swap", "tass-2", outlet: "TASS", quote: "TASS: the exchange took place."), "prisoners-of-war", [], "swap"),
            new ExchangeCompleted(From("swap", "aggregator", outlet: "news-pravda.com", quote: wire), "prisoners-of-war", [], "swap"),
            new ExchangeCompleted(From("swap", "kyiv", outlet: "The Kyiv Independent", quote: "The swap went ahead."), "prisoners-of-war", [], "swap"));

        var corroboration = Assert.Single(status.Corroboration);
        Assert.Equal(4, corroboration.Reports);
        Assert.Equal(2, corroboration.IndependentSources);
    }

    [Fact]
    public void Given_two_developments_linked_as_contradicting_When_folded_Then_the_pair_is_a_dispute_with_each_sides_sources()
    {
        var status = Fold(
            new StatementMade(From("summit-preparations", "censor"), "south", "preparations for a meeting are under way"),
            new StatementMade(From("no-summit-planned", "tass"), "north", "no meeting is planned"),
            new ContradictionNoted(From("summit-contradiction", "tass", quote: "no meeting is planned"), ["summit-preparations", "no-summit-planned"], "under way against not planned"));

        var dispute = Assert.Single(status.Disputes);
        Assert.Equal(("summit-contradiction", "contradiction"), (dispute.DevelopmentKey, dispute.Fact));
        Assert.Equal(["censor", "tass"], dispute.Versions.SelectMany(v => v.Evidence).Select(e => e.SourceId).Distinct().Order());
    }

    [Fact]
    public void Given_reports_that_word_an_agreement_differently_When_folded_Then_every_version_is_kept_and_the_headline_follows_the_rule()
    {
        var status = Fold(
            new AgreementReached(From("deal", "a", outlet: "A"), ["north", "south"], "Exchange 1,000 for 1,000"),
            new AgreementReached(From("deal", "b", outlet: "B", published: "2025-07-24"), ["north", "south"], "Exchange 1,000 for 1,000"),
            new AgreementReached(From("deal", "c", outlet: "C", published: "2025-07-25"), ["north", "south"], "A large exchange"));

        var agreement = Assert.Single(status.Agreements);
        Assert.Equal("Exchange 1,000 for 1,000", agreement.Text);
        Assert.Equal(["Exchange 1,000 for 1,000", "A large exchange"], agreement.Versions.Select(v => v.Value));
        Assert.Contains("most independent sources", status.HeadlineRule, StringComparison.Ordinal);
        Assert.Contains(status.Fields(), f => f.Path == "agreements.deal.versions[1]" && f.Value == "A large exchange");
    }

    [Fact]
    public void Given_one_sides_own_assertion_When_folded_Then_its_evidence_says_whose_assertion_it_is()
    {
        var claim = From("bodies", "pravda");
        claim = claim with { Provenance = claim.Provenance with { SaidBy = new Attribution("south", null, null) { AssertedBy = "north" } } };

        var status = Fold(new ExchangeCompleted(claim, "bodies", [new Transfer("south", new Quantity(1245))], "bodies returned"));

        Assert.Equal("north", Assert.Single(Assert.Single(status.Exchanges).Evidence).AssertedBy);
    }

    [Fact]
    public void An_undated_report_counts_from_its_publication_and_shows_as_undated()
    {
        var date = new FuzzyDate(new DateOnly(2025, 7, 23), DatePrecision.Undated);

        Assert.Equal("undated, published 2025-07-23", date.ToString());
        Assert.Equal(new DateOnly(2025, 7, 23), date.Latest);
        Assert.True(date.CompatibleWith(new FuzzyDate(new DateOnly(2025, 7, 20))));
    }
}
