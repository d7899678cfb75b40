using System.Text.Json;

namespace Ledger.Tests.Http;

/// <summary>
/// The web page in headless Chromium (Debian's <c>chromium</c>, driven by playwright-core from npm; .ci/run installs
/// both). Skipped only when no Chromium is installed. Leaves a screenshot of the page in TestResults/page.png.
/// </summary>
public sealed class PageTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_page_shows_the_tracks_replays_as_of_a_date_opens_a_quote_and_updates_live()
    {
        Browser.SkipWithoutChromium();

        using var alice = server.Client(LedgerServerFixture.AliceKey);
        foreach (var body in new object[] { Sample.Proposal(), Sample.Exchange(), Sample.Position("north", "a truce must come first", "2025-03-03", "wire-0303") })
        {
            var response = await alice.PostAsync("/api/developments", Sample.Json(body), Ct);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        }

        var screenshot = Browser.Screenshot("page.png", "LEDGER_SCREENSHOT");
        var append = JsonSerializer.Serialize(Sample.Position("south", "South said the ceasefire was not on the table", "2025-03-10", "daily-0310"));
        await Browser.RunScriptAsync(
            "page-test.mjs",
            [server.BaseAddress.ToString().TrimEnd('/'), screenshot],
            new Dictionary<string, string> { ["LEDGER_TEST_KEY"] = LedgerServerFixture.AliceKey, ["LEDGER_TEST_APPEND"] = append },
            Ct);

        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot was written");
    }
}
