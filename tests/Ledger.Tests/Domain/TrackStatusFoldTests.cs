using Ledger.Domain.Developments;
using Ledger.Domain.Tracks;
using static Ledger.Tests.Domain.Given;

namespace Ledger.Tests.Domain;

public class TrackStatusFoldTests
{
    private static TrackStatus When(IEnumerable<Development> events, TimeAxes? axes = null) =>
        TrackStatusFold.Fold(Negotiation, Track, events, axes);

    [Fact]
    public void A_track_nobody_reported_on_has_had_no_contact()
    {
        var status = When([]);

        Assert.Equal(Phase.NoContact, status.Phase.Value);
        Assert.Null(status.LastChange);
    }

    [Fact]
    public void A_proposal_then_a_completed_exchange_moves_the_phase_to_completed_and_totals_count_each_direction()
    {
        var status = When(
        [
            Proposal("pow-1000", "a", "2025-05-16", "2025-05-16"),
            Exchange("pow-1000-done", "a", "2025-05-25", "2025-05-25", 1000, 1000),
            Exchange("pow-wounded", "b", "2025-06-10", "2025-06-11", 250, 250),
        ]);

        Assert.Equal(Phase.Completed, status.Phase.Value);
        var toNorth = Assert.Single(status.Totals, t => t.ToParty == "north");
        Assert.Equal((1250, 1250), (toNorth.Min, toNorth.Max));
        Assert.Equal(2, toNorth.Evidence.Count);
        Assert.Equal("2025-06-10", status.LastChange!.Occurred);
    }

    [Fact]
    public void Two_sources_disagreeing_on_offered_or_agreed_both_stand_and_the_point_is_disputed()
    {
        var offered = Proposal("pow-1200", "izvestia", "2025-07-23", "2025-07-23");
        var agreed = Agreement("pow-1200", "other", "2025-07-23", "2025-07-24");

        var status = When([offered, agreed]);

        var dispute = Assert.Single(status.Disputes, d => d.Fact == "kind");
        Assert.Equal("pow-1200", dispute.DevelopmentKey);
        Assert.Contains(dispute.Versions, v => v.Value == "proposal-made" && v.Evidence.Single().SourceId == "izvestia");
        Assert.Contains(dispute.Versions, v => v.Value == "agreement-reached" && v.Evidence.Single().SourceId == "other");
        Assert.Single(status.Proposals);
        Assert.Single(status.Agreements);
        Assert.Equal(Phase.Proposed, status.Phase.Value);
        Assert.Equal(Phase.Agreed, status.Phase.Alternative);
    }

    [Fact]
    public void Different_counts_for_one_exchange_make_the_total_a_range_and_the_count_disputed()
    {
        var status = When(
        [
            Exchange("bodies", "a", "2025-07-20", "2025-07-23", 7000, 0, QuantityQualifier.MoreThan),
            Exchange("bodies", "b", "2025-07-20", "2025-07-24", 7000, 0),
            Exchange("bodies", "c", "2025-07-20", "2025-07-23", 1200, 0),
        ]);

        var total = Assert.Single(status.Totals, t => t.ToParty == "north");
        Assert.Equal((1200, 7000), (total.Min, total.Max));
        Assert.True(total.LowerBound);
        var dispute = Assert.Single(status.Disputes, d => d.Fact == "count-to-north");
        Assert.Equal(3, dispute.Versions.Count);
    }

    [Fact]
    public void A_party_saying_again_what_it_said_before_is_shown_as_restated()
    {
        var status = When(
        [
            Position("ceasefire-0722", "a", "2025-07-22", "2025-07-23"),
            Position("ceasefire-0723", "b", "2025-07-23", "2025-07-24"),
        ]);

        var position = Assert.Single(status.Positions);
        Assert.True(position.Restated);
        Assert.Equal("ceasefire-0723", position.DevelopmentKey);
        Assert.Equal(["ceasefire-0722"], position.EarlierDevelopments);
    }

    [Fact]
    public void One_statement_reported_by_two_sources_is_not_a_restatement()
    {
        var status = When(
        [
            Position("ceasefire-0723", "a", "2025-07-23", "2025-07-23"),
            Position("ceasefire-0723", "b", "2025-07-23", "2025-07-24"),
        ]);

        var position = Assert.Single(status.Positions);
        Assert.False(position.Restated);
        Assert.Equal(2, position.Evidence.Count);
    }

    [Fact]
    public void As_of_counts_developments_that_had_occurred_and_known_on_only_what_was_published()
    {
        // Published on the 24th about the 23rd: part of the world of the 23rd, but not known until the 24th.
        var late = Exchange("pow-250", "late", "2025-07-23", "2025-07-24", 250, 250);
        var early = Proposal("pow-1200", "early", "2025-07-23", "2025-07-23");

        Assert.Equal(Phase.Completed, When([late, early], new TimeAxes(AsOf: new DateOnly(2025, 7, 23))).Phase.Value);
        Assert.Equal(Phase.Proposed, When([late, early], new TimeAxes(KnownOn: new DateOnly(2025, 7, 23))).Phase.Value);
        Assert.Equal(Phase.NoContact, When([late, early], new TimeAxes(AsOf: new DateOnly(2025, 7, 22))).Phase.Value);
    }

    [Fact]
    public void The_status_does_not_depend_on_the_order_reports_were_recorded_in()
    {
        Development[] events =
        [
            Proposal("pow-1200", "izvestia", "2025-07-23", "2025-07-23"),
            Agreement("pow-1200", "other", "2025-07-23", "2025-07-24"),
            Exchange("pow-250", "a", "2025-07-23", "2025-07-24", 250, 250),
            Position("p1", "a", "2025-07-22", "2025-07-23"),
            Position("p2", "b", "2025-07-23", "2025-07-23"),
        ];
        var expected = Ledger.Infrastructure.Json.Serialize(When(events));

        foreach (var permutation in new[] { events.Reverse(), events.OrderBy(e => e.Claim.ClaimId), events.Skip(2).Concat(events.Take(2)) })
        {
            Assert.Equal(expected, Ledger.Infrastructure.Json.Serialize(When(permutation)));
        }
    }

    [Fact]
    public void A_vague_date_counts_only_once_the_development_has_certainly_happened()
    {
        var inJuly = Proposal("summit", "a", "2025-07", "2025-07-10");

        Assert.Equal(Phase.NoContact, When([inJuly], new TimeAxes(AsOf: new DateOnly(2025, 7, 30))).Phase.Value);
        Assert.Equal(Phase.Proposed, When([inJuly], new TimeAxes(AsOf: new DateOnly(2025, 7, 31))).Phase.Value);
    }

    [Fact]
    public void A_retraction_removes_the_report_once_it_is_published_but_not_before()
    {
        var exchange = Exchange("pow-250", "a", "2025-07-23", "2025-07-23", 250, 250);
        var retraction = new ReportRetracted(Claim("pow-250-retracted", "a", "2025-07-25", "2025-07-25"), exchange.Claim.ClaimId, "could not confirm");

        Assert.Equal(Phase.NoContact, When([exchange, retraction]).Phase.Value);
        Assert.Contains(exchange.Claim.ClaimId, When([exchange, retraction]).SupersededClaims);
        Assert.Equal(Phase.Completed, When([exchange, retraction], new TimeAxes(KnownOn: new DateOnly(2025, 7, 24))).Phase.Value);
    }

    [Fact]
    public void Two_people_reporting_one_statement_corroborate_it_and_do_not_dispute_who_said_it()
    {
        var status = When(
        [
            Position("ready-for-ceasefire", "a", "2025-07-23", "2025-07-24", actor: "umerov"),
            Position("ready-for-ceasefire", "b", "2025-07-23", "2025-07-23", actor: "yermak"),
        ]);

        Assert.Empty(status.Disputes);
        Assert.Equal(2, Assert.Single(status.Corroboration).IndependentSources);
    }

    [Fact]
    public void Every_field_of_the_status_leads_to_the_claims_behind_it()
    {
        var status = When(
        [
            Proposal("pow-1200", "izvestia", "2025-07-23", "2025-07-23"),
            Agreement("pow-1200", "other", "2025-07-23", "2025-07-24"),
            Exchange("pow-250", "a", "2025-07-23", "2025-07-24", 250, 250),
        ]);

        Assert.All(status.Fields(), field => Assert.NotEmpty(field.Evidence));
        Assert.Contains(status.Fields(), f => f.Path == "disputes.pow-1200.kind");
    }

    [Fact]
    public void A_vaguer_date_that_fits_does_not_dispute_a_precise_one_but_two_different_days_do()
    {
        var fits = When([Proposal("p", "a", "2025-06-02", "2025-07-23"), Proposal("p", "b", "2025-06", "2025-07-23")]);
        var clashes = When([Proposal("p", "a", "2025-06-02", "2025-07-23"), Proposal("p", "b", "2025-06-01", "2025-07-23")]);

        Assert.DoesNotContain(fits.Disputes, d => d.Fact == "occurred");
        Assert.Contains(clashes.Disputes, d => d.Fact == "occurred");
    }
}
