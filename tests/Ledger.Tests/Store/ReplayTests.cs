using Ledger.Domain.Tracks;
using Ledger.Tests.Infrastructure;
using Ledger.Tracks;

namespace Ledger.Tests.Store;

/// <summary>Status replayed from the store on both time axes, and as recorded at a past moment.</summary>
public class ReplayTests(SampleLedger ledger) : IClassFixture<SampleLedger>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private async Task<TrackStatus> StatusAsync(string track, DateOnly? asOf = null, DateOnly? knownOn = null, DateTimeOffset? recordedAt = null)
    {
        await using var session = ledger.Store.QuerySession();
        var status = await TrackQueries.StatusAsync(session, "sample-talks", track, new TimeAxes(asOf, knownOn), recordedAt, _ct);
        return status.Tracks.Single().Status;
    }

    [Fact]
    public async Task Every_track_of_the_sample_has_a_status()
    {
        await using var session = ledger.Store.QuerySession();
        var status = await TrackQueries.StatusAsync(session, null, null, TimeAxes.Now, null, _ct);

        Assert.Equal(["talks", "ceasefire", "prisoners", "bodies", "civilians", "delegations"], status.Tracks.Select(t => t.Track.Id));
        Assert.Equal(Phase.InProgress, status.Tracks.Single(t => t.Track.Id == "prisoners").Status.Phase.Value);
        Assert.Equal(Phase.UnderConsideration, status.Tracks.Single(t => t.Track.Id == "ceasefire").Status.Phase.Value);
    }

    [Fact]
    public async Task A_report_published_late_about_an_earlier_day_counts_as_of_that_day_but_is_not_known_before_publication()
    {
        // beta-daily (published 4 March) reports the exchange that began on 3 March.
        var asOfThird = await StatusAsync("prisoners", asOf: new DateOnly(2025, 3, 3));
        var knownOnThird = await StatusAsync("prisoners", asOf: new DateOnly(2025, 3, 3), knownOn: new DateOnly(2025, 3, 3));
        var asOfSecond = await StatusAsync("prisoners", asOf: new DateOnly(2025, 3, 2));

        Assert.Equal(Phase.InProgress, asOfThird.Phase.Value);
        Assert.Contains(asOfThird.Exchanges, e => e.DevelopmentKey == "pow-exchange-300");
        Assert.Equal(Phase.Agreed, knownOnThird.Phase.Value);
        Assert.DoesNotContain(knownOnThird.Exchanges, e => e.DevelopmentKey == "pow-exchange-300");
        // As of the 2nd with everything published since: beta-daily says offered, alpha-wire agreed.
        Assert.Equal(Phase.Proposed, asOfSecond.Phase.Value);
        Assert.Equal(Phase.Agreed, asOfSecond.Phase.Alternative);
    }

    [Fact]
    public async Task A_dispute_appears_only_once_the_disagreeing_source_is_published()
    {
        var knownOnSecond = await StatusAsync("prisoners", knownOn: new DateOnly(2025, 3, 2));
        var knownOnFourth = await StatusAsync("prisoners", knownOn: new DateOnly(2025, 3, 4));

        Assert.Empty(knownOnSecond.Disputes);
        var kind = Assert.Single(knownOnFourth.Disputes, d => d.DevelopmentKey == "pow-500-for-500" && d.Fact == "kind");
        Assert.Equal(["alpha-wire-0302"], kind.Versions.Single(v => v.Value == "agreement-reached").Evidence.Select(e => e.SourceId));
        Assert.Equal(["beta-daily-0304"], kind.Versions.Single(v => v.Value == "proposal-made").Evidence.Select(e => e.SourceId));
    }

    [Fact]
    public async Task A_position_said_again_later_is_restated()
    {
        var now = await StatusAsync("ceasefire");
        var before = await StatusAsync("ceasefire", asOf: new DateOnly(2025, 3, 2));

        var position = Assert.Single(now.Positions);
        Assert.True(position.Restated);
        Assert.Equal(["north-ceasefire-position-0301"], position.EarlierDevelopments);
        Assert.False(Assert.Single(before.Positions).Restated);
    }

    [Fact]
    public async Task A_correction_replaces_the_figure_from_its_publication_on()
    {
        var before = await StatusAsync("bodies", knownOn: new DateOnly(2025, 3, 4));
        var after = await StatusAsync("bodies");

        Assert.Equal("about 120", Assert.Single(before.Totals).ToString());
        Assert.Equal("150", Assert.Single(after.Totals).ToString());
        Assert.Single(after.SupersededClaims);
    }

    [Fact]
    public async Task A_retracted_report_no_longer_counts()
    {
        Assert.Equal(Phase.NoContact, (await StatusAsync("civilians")).Phase.Value);
        Assert.Single((await StatusAsync("civilians", knownOn: new DateOnly(2025, 3, 4))).Other);
    }

    [Fact]
    public async Task What_the_ledger_showed_at_a_past_moment_of_recording_comes_from_its_own_timestamps()
    {
        await using var session = ledger.Store.QuerySession();
        var prisoners = await TrackQueries.ClaimsAsync(session, "sample-talks", "prisoners", TimeAxes.Now, _ct);
        var beforeAnything = await StatusAsync("prisoners", recordedAt: DateTimeOffset.UtcNow.AddDays(-1));
        var now = await StatusAsync("prisoners", recordedAt: DateTimeOffset.UtcNow.AddMinutes(1));

        Assert.Equal(0, beforeAnything.ClaimCount);
        Assert.Equal(prisoners.Count, now.ClaimCount);
        Assert.Equal(Ledger.Infrastructure.Json.Serialize(await StatusAsync("prisoners")), Ledger.Infrastructure.Json.Serialize(now));
    }
}
