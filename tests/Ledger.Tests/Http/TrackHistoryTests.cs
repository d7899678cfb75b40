using System.Net;
using System.Text.Json;

namespace Ledger.Tests.Http;

/// <summary>GET /api/negotiations/{id}/tracks/{track}/history over the repository's Istanbul negotiation, and the track page's address.</summary>
public sealed class TrackHistoryTests(SeededServerFixture server) : IClassFixture<SeededServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Bodies = $"/api/negotiations/{SeededServerFixture.Istanbul}/tracks/bodies/history";

    [Fact]
    public async Task History_gives_the_phase_and_bodies_returned_against_the_6000_agreed_at_each_date()
    {
        using var client = server.Client();
        var history = await (await client.GetAsync($"{Bodies}?asOf=2025-07-24", Ct)).JsonAsync(HttpStatusCode.OK);
        var points = history.GetProperty("points").EnumerateArray().ToList();

        Assert.False(history.GetProperty("truncated").GetBoolean());
        Assert.Equal("2025-06-02", points[0].GetProperty("asOf").GetString());
        Assert.Equal("agreed", points[0].GetProperty("phase").GetString());
        Assert.Equal("completed", points[^1].GetProperty("phase").GetString());
        var toUkraine = points.Select(p => (Date: p.GetProperty("asOf").GetString(), Carried: ToUkraine(p))).Where(p => p.Carried.Committed is not null).ToList();
        Assert.All(toUkraine, p => Assert.Equal(6000, p.Carried.Committed));
        Assert.Equal(
            [null, null, 1212, 2412, 3612, 4857, 4857, 5857, 5857, 5857],
            toUkraine.Select(p => p.Carried.CarriedOut).ToArray());
        Assert.Equal(points.Select(p => p.GetProperty("asOf").GetString()).Order(StringComparer.Ordinal), points.Select(p => p.GetProperty("asOf").GetString()));
    }

    [Fact]
    public async Task History_follows_the_known_on_axis_and_the_as_of_date()
    {
        using var client = server.Client();
        var early = await (await client.GetAsync($"{Bodies}?asOf=2025-06-14", Ct)).JsonAsync(HttpStatusCode.OK);
        var knownEarly = await (await client.GetAsync($"{Bodies}?knownOn=2025-06-10", Ct)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("2025-06-14", early.GetProperty("points").EnumerateArray().Last().GetProperty("asOf").GetString());
        Assert.Equal(2412, ToUkraine(early.GetProperty("points").EnumerateArray().Last()).CarriedOut);
        Assert.All(knownEarly.GetProperty("points").EnumerateArray(), p => Assert.Null(ToUkraine(p).CarriedOut));
    }

    [Fact]
    public async Task A_bad_date_or_an_unknown_track_is_one_clear_line()
    {
        using var client = server.Client();
        var bad = await client.GetAsync($"{Bodies}?asOf=07/24/2025", Ct);
        var unknown = await client.GetAsync($"/api/negotiations/{SeededServerFixture.Istanbul}/tracks/no-such-track/history", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("asOf", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no-such-track", await unknown.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_track_page_and_the_favicon_are_served_from_the_program()
    {
        using var client = server.Client();
        var page = await client.GetAsync($"/tracks/{SeededServerFixture.Istanbul}/bodies?asOf=2025-07-24", Ct);
        var favicon = await client.GetAsync("/favicon.ico", Ct);
        var chart = await client.GetAsync("/web/chart.umd.min.js", Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-page=\"track\"", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, favicon.StatusCode);
        Assert.Equal("image/svg+xml", favicon.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, chart.StatusCode);
        Assert.StartsWith("/*!\n * Chart.js v4", await chart.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static (int? Committed, int? CarriedOut) ToUkraine(JsonElement point)
    {
        foreach (var a in point.GetProperty("agreements").EnumerateArray())
        {
            if (a.GetProperty("agreementKey").GetString() == "round-2-bodies-agreement" && a.GetProperty("toParty").GetString() == "ukraine")
            {
                return (a.TryGetProperty("committed", out var c) ? c.GetInt32() : null, a.TryGetProperty("carriedOutMin", out var m) ? m.GetInt32() : null);
            }
        }

        return (null, null);
    }
}
