using System.Globalization;
using Ledger.Domain.Developments;
using Ledger.Domain.Provenance;
using Ledger.Domain.Tracks;
using static Ledger.Tests.Domain.Given;

namespace Ledger.Tests.Domain;

public class TrackChangesTests
{
    private static DateOnly Day(string iso) => DateOnly.Parse(iso, CultureInfo.InvariantCulture);

    /// <summary>The same reports folded as of two dates, then compared: what the diff command does per track.</summary>
    private static TrackChanges When(string from, string to, params Development[] reports) =>
        TrackChangesBetween.Compare(
            TrackStatusFold.Fold(Negotiation, Track, reports, new TimeAxes(Day(from))),
            TrackStatusFold.Fold(Negotiation, Track, reports, new TimeAxes(Day(to))));

    [Fact]
    public void Given_a_proposal_and_then_an_agreement_When_compared_across_the_agreement_Then_it_is_added_with_its_source_and_the_phase_moves()
    {
        var changes = When("2025-05-20", "2025-06-03",
            Proposal("pow-1000", "wire-a", "2025-05-16", "2025-05-16"),
            Agreement("pow-6000", "wire-b", "2025-06-02", "2025-06-02", "exchange all severely wounded and under-25 prisoners"));

        Assert.True(changes.PhaseChanged);
        Assert.Equal((Phase.Proposed, Phase.Agreed), (changes.PhaseBefore, changes.PhaseAfter));
        var agreement = Assert.Single(changes.Changes, c => c.Section == "agreements");
        Assert.Equal((ChangeKind.Added, "pow-6000", null), (agreement.Kind, agreement.Key, agreement.Was));
        Assert.Equal("wire-b", Assert.Single(agreement.Evidence).SourceId);
        Assert.DoesNotContain(changes.Changes, c => c.Key == "pow-1000");
    }

    [Fact]
    public void Given_an_open_proposal_When_nothing_happens_between_the_dates_Then_there_is_no_change_although_it_has_been_open_longer()
    {
        var changes = When("2025-05-20", "2025-06-20", Proposal("pow-1000", "wire-a", "2025-05-16", "2025-05-16"));

        Assert.False(changes.PhaseChanged);
        Assert.Empty(changes.Changes);
    }

    [Fact]
    public void Given_a_proposal_When_it_is_accepted_between_the_dates_Then_the_proposal_is_changed_from_open_to_accepted()
    {
        var proposal = Proposal("ceasefire-30", "wire-a", "2025-05-16", "2025-05-16", "a 30-day ceasefire");
        var answer = new ProposalAnswered(Claim("ceasefire-30-answer", "wire-b", "2025-06-01", "2025-06-01"), "ceasefire-30", "south", ProposalResponse.Accepted, "accepted");

        var change = Assert.Single(When("2025-05-20", "2025-06-03", proposal, answer).Changes, c => c.Section == "proposals");

        Assert.Equal(ChangeKind.Changed, change.Kind);
        Assert.Equal("open: a 30-day ceasefire", change.Was);
        Assert.Equal("accepted: a 30-day ceasefire", change.Now);
        Assert.Contains(change.Evidence, e => e.SourceId == "wire-b");
    }

    [Fact]
    public void Given_a_deadline_When_its_date_passes_between_the_dates_Then_it_is_reported_as_lapsed()
    {
        var deadline = new DeadlineSet(Claim("tariffs", "wire", "2025-07-14", "2025-07-14"), "north", new FuzzyDate(Day("2025-09-02")), "a settlement", null);

        var change = Assert.Single(When("2025-08-01", "2025-09-10", deadline).Changes);

        Assert.Equal((ChangeKind.Lapsed, "developments", "tariffs"), (change.Kind, change.Section, change.Key));
        Assert.Contains("lapsed since 2025-09-03", change.Now, StringComparison.Ordinal);
        Assert.Equal("wire", Assert.Single(change.Evidence).SourceId);
    }

    [Fact]
    public void Given_a_second_source_contradicting_the_first_When_it_is_reported_between_the_dates_Then_a_dispute_opens_naming_both_sources()
    {
        var changes = When("2025-07-23", "2025-07-26",
            Exchange("pow-250", "wire-a", "2025-07-23", "2025-07-23", 250, 250),
            Exchange("pow-250", "daily-b", "2025-07-25", "2025-07-25", 240, 250));

        var dispute = Assert.Single(changes.Changes, c => c.Kind == ChangeKind.DisputeOpened && c.Key == "pow-250.count-to-north");
        Assert.Equal("250 (wire-a) | 240 (daily-b)", dispute.Now);
        Assert.Equal(["daily-b", "wire-a"], dispute.Evidence.Select(e => e.SourceId).Distinct().Order());
        Assert.Contains(changes.Changes, c => c.Kind == ChangeKind.Changed && c.Section == "totals" && c.Now == "240–250 prisoners-of-war to north");
    }

    [Fact]
    public void Given_a_disputed_count_When_the_later_status_knows_of_a_retraction_Then_the_dispute_is_settled()
    {
        var first = Exchange("pow-250", "wire-a", "2025-07-23", "2025-07-23", 250, 250);
        var second = Exchange("pow-250", "daily-b", "2025-07-23", "2025-07-23", 240, 250);
        var retraction = new ReportRetracted(Claim("pow-250-retracted", "daily-b", "2025-07-25", "2025-07-25"), second.Claim.ClaimId, "miscounted");
        Development[] reports = [first, second, retraction];

        var changes = TrackChangesBetween.Compare(
            TrackStatusFold.Fold(Negotiation, Track, reports, new TimeAxes(KnownOn: Day("2025-07-24"))),
            TrackStatusFold.Fold(Negotiation, Track, reports, new TimeAxes(KnownOn: Day("2025-07-26"))));

        var settled = Assert.Single(changes.Changes, c => c.Kind == ChangeKind.DisputeSettled);
        Assert.Equal("pow-250.count-to-north", settled.Key);
        Assert.Null(settled.Now);
        Assert.Contains(changes.Changes, c => c.Kind == ChangeKind.Changed && c.Section == "totals" && c.Now == "250 prisoners-of-war to north");
    }

    [Fact]
    public void Given_a_party_restating_its_position_in_other_words_When_compared_Then_the_position_is_changed_from_the_old_wording_to_the_new()
    {
        var changes = When("2025-05-20", "2025-06-03",
            new PositionStated(Claim("memorandum-may", "wire-a", "2025-05-16", "2025-05-16"), "north", "ceasefire", "a ceasefire only after a memorandum"),
            new PositionStated(Claim("memorandum-june", "wire-b", "2025-06-02", "2025-06-02"), "north", "ceasefire", "a ceasefire if troops withdraw"));

        var change = Assert.Single(changes.Changes, c => c.Section == "positions");
        Assert.Equal((ChangeKind.Changed, "north.ceasefire"), (change.Kind, change.Key));
        Assert.Equal("north: a ceasefire only after a memorandum", change.Was);
        Assert.Equal("north: a ceasefire if troops withdraw", change.Now);
    }
}
