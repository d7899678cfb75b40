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
        var chromium = Browser.Chromium();
        if (chromium is null)
        {
            Assert.Skip("Chromium is not installed (apt-get install chromium, as .ci/run does); the browser test needs it.");
        }

        await Browser.EnsurePackagesAsync(Ct);
        var root = Browser.RepositoryRoot();
        var shots = Environment.GetEnvironmentVariable("LEDGER_SCREENSHOTS") is { Length: > 0 } wanted
            ? Path.GetFullPath(wanted, root)
            : Path.Combine(root, "TestResults");
        Directory.CreateDirectory(shots);

        var run = await Browser.RunAsync(
            "node",
            ["track-page-test.mjs", server.BaseAddress.ToString().TrimEnd('/'), shots],
            Browser.Scripts,
            new Dictionary<string, string> { ["LEDGER_CHROMIUM"] = chromium },
            Ct);

        TestContext.Current.SendDiagnosticMessage(run.Output);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("\"ok\":true", run.Output, StringComparison.Ordinal);
        foreach (var picture in new[] { "web-page.png", "track-page.png", "track-charts.png" })
        {
            Assert.True(new FileInfo(Path.Combine(shots, picture)).Length > 10_000, $"{picture} was written");
        }
    }
}
