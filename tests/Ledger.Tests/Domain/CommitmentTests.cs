using Ledger.Domain.Developments;
using Ledger.Domain.Provenance;
using Ledger.Domain.Tracks;

namespace Ledger.Tests.Domain;

/// <summary>
/// What became of commitments: quantities, implementation stage by stage, running totals, lifecycles, answers, due
/// dates and lapse, contacts and plans. Given these claims, When the track is folded as of a date, Then this status.
/// </summary>
public class CommitmentTests
{
    private static TrackStatus Fold(DateOnly? asOf, params Development[] claims) =>
        TrackStatusFold.Fold(Given.Negotiation, Given.Track, claims, new TimeAxes(asOf, null));

    private static DateOnly Day(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static AgreementReached BodiesAgreed(string source = "wire", int each = 6000) =>
        new(Given.Claim("bodies-6000", source, "2025-06-02", "2025-06-02", quote: $"agreed {each} by {source}"), ["north", "south"], $"{each} for {each} bodies")
        {
            Quantities = [new CategoryQuantity("bodies", new Quantity(each))],
        };

    private static ExchangeCompleted Stage(string key, int stage, string occurred, int toSouth, string source = "wire") =>
        new(Given.Claim(key, source, occurred, occurred), "bodies", [new Transfer("south", new Quantity(toSouth))], $"stage {stage}")
        {
            Implements = new Implementation("bodies-6000", stage),
        };

    [Fact]
    public void Given_an_agreement_and_its_stages_When_folded_Then_the_commitment_shows_each_stage_and_the_fulfilment()
    {
        var status = Fold(
            Day("2025-06-17"),
            BodiesAgreed(),
            Stage("bodies-stage-1", 1, "2025-06-11", 1212),
            Stage("bodies-stage-2", 2, "2025-06-14", 1200),
            Stage("bodies-stage-3", 3, "2025-06-15", 1200),
            Stage("bodies-stage-4", 4, "2025-06-16", 1245));

        var commitment = Assert.Single(status.Commitments);
        Assert.Equal([1, 2, 3, 4], commitment.Stages.Select(s => s.Stage!.Value));
        var south = Assert.Single(commitment.Fulfilment, f => f.ToParty == "south");
        Assert.Equal(4857, south.CarriedOut!.Min);
        Assert.Equal(6000, south.Committed!.Value);
        Assert.Equal(4857d / 6000, south.Ratio!.Value, 3);
    }

    [Fact]
    public void Given_stages_When_folded_as_of_a_date_between_them_Then_only_the_stages_done_by_then_count()
    {
        var status = Fold(Day("2025-06-12"), BodiesAgreed(), Stage("bodies-stage-1", 1, "2025-06-11", 1212), Stage("bodies-stage-2", 2, "2025-06-14", 1200));

        Assert.Equal(1212, Assert.Single(status.Commitments).Fulfilment.Single(f => f.ToParty == "south").CarriedOut!.Min);
    }

    [Fact]
    public void Given_a_sources_running_total_When_folded_Then_it_stands_beside_the_sum_of_stages_and_is_never_added_to_it()
    {
        var total = new TotalReported(Given.Claim("bodies-total", "pravda", "2025-06-16", "2025-06-16"), "bodies-6000", "bodies", [new Transfer("south", new Quantity(6057))], true, "In total 6,057 bodies");

        var status = Fold(Day("2025-06-17"), BodiesAgreed(), Stage("bodies-stage-1", 1, "2025-06-11", 1212), total);

        var commitment = Assert.Single(status.Commitments);
        Assert.Equal(1212, commitment.Fulfilment.Single(f => f.ToParty == "south").CarriedOut!.Min);
        var reported = Assert.Single(commitment.ReportedTotals);
        Assert.Equal(6057, reported.Transfers[0].Count!.Value);
        Assert.True(reported.Complete);
        Assert.NotEmpty(commitment.CompletionClaimed);
        Assert.DoesNotContain(status.Totals, t => t.Min == 6057 + 1212);
        Assert.Equal(1212, Assert.Single(status.Totals).Min);
    }

    [Fact]
    public void Given_two_sources_agreeing_on_different_quantities_When_folded_Then_the_quantity_is_disputed()
    {
        var status = Fold(null, BodiesAgreed("wire", 6000), BodiesAgreed("daily", 5000));

        var dispute = Assert.Single(status.Disputes, d => d.Fact == "quantity-bodies");
        Assert.Equal(2, dispute.Versions.Count);
    }

    [Fact]
    public void Given_one_release_of_two_categories_When_folded_Then_the_totals_keep_each_category()
    {
        var release = new ExchangeCompleted(
            Given.Claim("release-390", "wire", "2025-05-23", "2025-05-23"),
            "prisoners-of-war",
            [new Transfer("south", new Quantity(270), "prisoners-of-war"), new Transfer("south", new Quantity(120), "civilians")],
            "390 released");

        var status = Fold(null, release);

        Assert.Equal([("civilians", 120), ("prisoners-of-war", 270)], status.Totals.Select(t => (t.Category, t.Min)));
    }

    [Fact]
    public void Given_all_for_all_When_folded_Then_it_is_kept_as_its_own_quantity_and_not_summed()
    {
        Assert.True(Quantity.TryParse("all", out var all));
        Assert.False(all!.HasNumber);
        Assert.Equal("all", all.ToString());
        var exchange = new ExchangeCompleted(Given.Claim("wounded", "wire", "2025-06-10", "2025-06-10"), "prisoners-of-war", [new Transfer("south", all)], "all seriously wounded");

        Assert.Empty(Fold(null, exchange).Totals);
    }

    [Fact]
    public void Given_an_exchange_under_way_then_completed_When_folded_Then_it_is_one_lifecycle_not_a_dispute()
    {
        var underway = new ExchangeUnderway(Given.Claim("swap-250", "wire", "2025-07-23", "2025-07-23"), "prisoners-of-war", [new Transfer("south", new Quantity(250))], "under way");
        var completed = new ExchangeCompleted(Given.Claim("swap-250", "daily", "2025-07-25", "2025-07-25"), "prisoners-of-war", [new Transfer("south", new Quantity(250))], "completed");

        var status = Fold(null, underway, completed);

        Assert.Empty(status.Disputes);
        Assert.Equal(Phase.Completed, status.Phase.Value);
        Assert.Equal(["exchange-completed", "exchange-underway"], status.Exchanges.Select(e => e.Kind).Order());
    }

    private static ProposalMade Proposal(string occurred = "2025-07-23", FuzzyDate? due = null) =>
        new(Given.Claim("groups", "tass", occurred, occurred), "north", "south", "three working groups") { Due = due };

    private static ProposalAnswered Answer(ProposalResponse response, string occurred, string? accepted = null) =>
        new(Given.Claim($"groups-answer-{response}", "tass", occurred, occurred), "groups", "south", response, "an answer") { Accepted = accepted };

    [Fact]
    public void Given_an_unanswered_proposal_When_folded_as_of_a_later_date_Then_it_shows_how_long_it_has_stood()
    {
        var status = Fold(Day("2025-08-20"), Proposal(), Answer(ProposalResponse.NoAnswer, "2025-08-20"));

        var proposal = Assert.Single(status.Proposals);
        Assert.Equal(ProposalState.Unanswered, proposal.State);
        Assert.Equal(28, proposal.OpenForDays);
    }

    [Theory]
    [InlineData(ProposalResponse.PartlyAccepted, ProposalState.PartlyAccepted, false)]
    [InlineData(ProposalResponse.Welcomed, ProposalState.Welcomed, true)]
    [InlineData(ProposalResponse.NotYetAccepted, ProposalState.NotYetAccepted, true)]
    [InlineData(ProposalResponse.Rejected, ProposalState.Rejected, false)]
    public void Given_a_proposal_When_it_is_answered_Then_its_state_says_how(ProposalResponse response, ProposalState state, bool open)
    {
        var proposal = Assert.Single(Fold(Day("2025-08-01"), Proposal(), Answer(response, "2025-07-30", accepted: "the humanitarian group")).Proposals);

        Assert.Equal(state, proposal.State);
        Assert.Equal(open, proposal.IsOpen);
        Assert.Equal(open ? 9 : null, proposal.OpenForDays);
    }

    [Fact]
    public void Given_a_proposal_due_by_the_end_of_August_When_folded_on_1_September_Then_it_has_lapsed_since_1_September()
    {
        Assert.True(FuzzyDate.TryParse("by end of 2025-08", out var due));

        var before = Assert.Single(Fold(Day("2025-08-31"), Proposal(due: due)).Proposals);
        var after = Assert.Single(Fold(Day("2025-09-01"), Proposal(due: due)).Proposals);

        Assert.Null(before.Lapsed);
        Assert.Equal(Day("2025-09-01"), after.Lapsed!.Since);
    }

    [Fact]
    public void Given_a_deadline_When_its_date_passes_Then_it_shows_as_lapsed_without_any_clock_in_the_fold()
    {
        var deadline = new DeadlineSet(Given.Claim("tariffs", "wire", "2025-07-14", "2025-07-14"), "north", new FuzzyDate(Day("2025-09-02")), "a settlement", null);

        Assert.Null(Assert.Single(Fold(Day("2025-09-02"), deadline).Other).Lapsed);
        Assert.NotNull(Assert.Single(Fold(Day("2025-09-03"), deadline).Other).Lapsed);
        Assert.Null(TrackStatusFold.Fold(Given.Negotiation, Given.Track, [deadline], TimeAxes.Now).Other.Single().Lapsed);
    }

    [Fact]
    public void Given_a_meeting_planned_in_one_place_and_held_in_another_When_folded_Then_the_change_is_shown_not_disputed()
    {
        var planned = new MeetingPlanned(Given.Claim("round-4", "wire", "2025-07-20", "2025-07-20"), "Istanbul", new FuzzyDate(Day("2025-08-10")), null, [], "4", "Fourth round");
        var held = new MeetingHeld(Given.Claim("round-4", "daily", "2025-08-12", "2025-08-12"), "4", "Geneva", null, null, [], "Fourth round held");

        var status = Fold(null, planned, held);

        var meeting = Assert.Single(status.Meetings);
        Assert.Contains(meeting.Changed, c => c.StartsWith("venue", StringComparison.Ordinal));
        Assert.Contains(meeting.Changed, c => c.StartsWith("date", StringComparison.Ordinal));
        Assert.DoesNotContain(status.Disputes, d => d.Fact is "kind" or "venue");
    }

    [Fact]
    public void Given_a_city_and_a_palace_in_it_When_plan_and_meeting_are_compared_Then_the_venue_did_not_change()
    {
        var planned = new MeetingPlanned(Given.Claim("round-3", "wire", "2025-07-20", "2025-07-20"), "Istanbul", null, null, [], "3", "Third round");
        var held = new MeetingHeld(Given.Claim("round-3", "daily", "2025-07-23", "2025-07-23"), "3", "Çırağan Palace, Istanbul", null, null, [], "Third round held");

        Assert.Empty(Assert.Single(Fold(null, planned, held).Meetings).Changed);
    }

    [Fact]
    public void Given_contacts_appeals_and_allegations_When_folded_Then_each_is_listed_as_what_it_is()
    {
        var status = Fold(
            null,
            new SummitHeld(Given.Claim("alaska", "mc", "2025-08-15", "2025-08-16"), "Anchorage", ["Putin", "Trump"], "Summit in Alaska"),
            new CallHeld(Given.Claim("call", "tass", "2025-08-18", "2025-08-20"), ["Putin", "Trump"], "A call"),
            new StatementMade(Given.Claim("statement", "tass", "2025-08-20", "2025-08-20"), "north", "no response"),
            new AppealMade(Given.Claim("appeal", "trt", "2025-07-23", "2025-07-23"), "south", ["north"], "keep talking"),
            new AllegationMade(Given.Claim("allegation", "pravda", "2025-06-06", "2025-06-06"), "north", "south", "refused the bodies"));

        Assert.Equal(
            ["allegation-made", "appeal-made", "call-held", "statement-made", "summit-held"],
            status.Other.Select(o => o.Kind).Order());
        Assert.Contains("Summit of Putin and Trump in Anchorage", status.Other.Single(o => o.Kind == "summit-held").Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_meeting_without_a_round_number_is_not_called_a_round()
    {
        var special = new MeetingHeld(Given.Claim("special", "wire", "2025-07-23", "2025-07-23"), "special meeting", null, null, null, [], "Talks");

        Assert.DoesNotContain("round special", special.Summary, StringComparison.Ordinal);
        Assert.Contains("round 3", new MeetingHeld(Given.Claim("third", "wire", "2025-07-23", "2025-07-23"), "3", null, null, null, [], "Talks").Summary, StringComparison.Ordinal);
    }
}
