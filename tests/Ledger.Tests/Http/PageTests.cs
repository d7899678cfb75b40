using System.Diagnostics;
using System.Text.Json;

namespace Ledger.Tests.Http;

/// <summary>
/// The web page in headless Chromium (Debian's <c>chromium</c>, driven by playwright-core from npm; .ci/run installs
/// both). Skipped only when no Chromium is installed. Leaves a screenshot of the page in TestResults/page.png.
/// </summary>
public sealed class PageTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>
{
    private static readonly string[] KnownChromiums = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_page_shows_the_tracks_replays_as_of_a_date_opens_a_quote_and_updates_live()
    {
        var chromium = Environment.GetEnvironmentVariable("LEDGER_CHROMIUM") is { Length: > 0 } configured
            ? configured
            : KnownChromiums.FirstOrDefault(File.Exists);
        if (chromium is null || !File.Exists(chromium))
        {
            Assert.Skip("Chromium is not installed (apt-get install chromium, as .ci/run does); the browser test needs it.");
        }

        var root = RepositoryRoot();
        var scripts = Path.Combine(root, "tests", "Ledger.Tests", "Http", "browser");
        if (!Directory.Exists(Path.Combine(scripts, "node_modules", "playwright-core")))
        {
            var install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], scripts, []);
            Assert.True(install.ExitCode == 0, $"npm ci failed: {install.Output}");
        }

        using var alice = server.Client(LedgerServerFixture.AliceKey);
        foreach (var body in new object[] { Sample.Proposal(), Sample.Exchange(), Sample.Position("north", "a truce must come first", "2025-03-03", "wire-0303") })
        {
            var response = await alice.PostAsync("/api/developments", Sample.Json(body), Ct);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        }

        // The screenshot goes to TestResults (git-ignored), so a test run leaves the working tree clean;
        // LEDGER_SCREENSHOT names another path, e.g. docs/screenshot.png to refresh the documentation's picture.
        var screenshot = Environment.GetEnvironmentVariable("LEDGER_SCREENSHOT") is { Length: > 0 } wanted
            ? Path.GetFullPath(wanted, root)
            : Path.Combine(root, "TestResults", "page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        var append = JsonSerializer.Serialize(Sample.Position("south", "South said the ceasefire was not on the table", "2025-03-10", "daily-0310"));
        var run = await RunAsync(
            "node",
            ["page-test.mjs", server.BaseAddress.ToString().TrimEnd('/'), screenshot],
            scripts,
            new Dictionary<string, string> { ["LEDGER_CHROMIUM"] = chromium, ["LEDGER_TEST_KEY"] = LedgerServerFixture.AliceKey, ["LEDGER_TEST_APPEND"] = append });

        TestContext.Current.SendDiagnosticMessage(run.Output);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("\"ok\":true", run.Output, StringComparison.Ordinal);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot was written");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Ledger.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Ledger.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] args, string folder, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, (await output) + (await errors));
    }
}
