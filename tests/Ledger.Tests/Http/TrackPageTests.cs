using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Http;

/// <summary>
/// The page over the repository's own Istanbul negotiation in headless Chromium (browser/track-page-test.mjs):
/// every status field shown with its sources, the view kept in the address, ISO date fields, a track's own page
/// with deep links and charts, and axe-core's accessibility rules. Skipped only when no Chromium is installed.
/// Leaves its screenshots in TestResults/; LEDGER_SCREENSHOTS=docs refreshes the documentation's pictures.
/// </summary>
public sealed class TrackPageTests(SeededServerFixture server) : IClassFixture<SeededServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_page_shows_every_field_with_its_sources_and_a_track_page_answers_deep_links_and_draws_its_history()
    {
        Browser.SkipWithoutChromium();
        var root = Repository.Root;
        var shots = Environment.GetEnvironmentVariable("LEDGER_SCREENSHOTS") is { Length: > 0 } wanted
            ? Path.GetFullPath(wanted, root)
            : Path.Combine(root, "TestResults");
        Directory.CreateDirectory(shots);

        await Browser.RunScriptAsync("track-page-test.mjs", [server.BaseAddress.ToString().TrimEnd('/'), shots], null, Ct);
        foreach (var picture in new[] { "web-page.png", "track-page.png", "track-charts.png" })
        {
            Assert.True(new FileInfo(Path.Combine(shots, picture)).Length > 10_000, $"{picture} was written");
        }
    }
}
