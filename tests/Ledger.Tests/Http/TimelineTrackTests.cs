using System.Net;

namespace Ledger.Tests.Http;

public sealed class TimelineTrackTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_timeline_of_a_track_the_negotiation_does_not_have_is_404_naming_it_and_the_tracks_it_has()
    {
        using var client = server.Client();

        var problem = await (await client.GetAsync($"/api/negotiations/{LedgerServerFixture.Negotiation}/timeline?track=no-such-track", Ct))
            .ProblemAsync(HttpStatusCode.NotFound);

        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("'no-such-track'", detail, StringComparison.Ordinal);
        Assert.Contains("prisoners", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_timeline_of_a_track_it_has_is_200_even_with_nothing_on_it_yet()
    {
        using var client = server.Client();

        var timeline = await (await client.GetAsync($"/api/negotiations/{LedgerServerFixture.Negotiation}/timeline?track=prisoners", Ct))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal(System.Text.Json.JsonValueKind.Array, timeline.ValueKind);
    }
}
