using System.Net;
using System.Text.Json.Nodes;
using Ledger.Import;
using Ledger.Tests.Cli;
using Ledger.Tests.Corpus;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Http;

/// <summary>A server over the repository's corpus (the Istanbul talks) besides the fixture's own small negotiation.</summary>
public sealed class IstanbulServerFixture(PostgresFixture postgres) : LedgerServerFixture(postgres)
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var root = Repository.Root;
        var report = await new Importer(Store, "test-setup").ImportAsync(Path.Combine(root, "seeds"), Path.Combine(root, "events"), root, ct: TestContext.Current.CancellationToken);
        Assert.True(report.Succeeded, string.Join("; ", report.Files.SelectMany(f => f.Errors)));
    }
}

/// <summary>What changed between two dates, over HTTP and on the command line, on the Istanbul corpus.</summary>
public sealed class DiffTests(IstanbulServerFixture server) : IClassFixture<IstanbulServerFixture>
{
    private const string Istanbul = IstanbulCorpus.Negotiation;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(string query)
    {
        using var client = server.Client();
        using var response = await client.GetAsync($"/api/negotiations/{query}", Ct);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!);
    }

    private static JsonNode? Change(JsonNode diff, string track, string key) =>
        diff["tracks"]!.AsArray().FirstOrDefault(t => (string?)t!["trackId"] == track)?["changes"]!.AsArray().FirstOrDefault(c => (string?)c!["key"] == key);

    [Fact]
    public async Task Across_the_second_Istanbul_round_the_diff_shows_its_agreements_with_their_sources()
    {
        var (status, diff) = await GetAsync($"{Istanbul}/diff?from=2025-06-01&to=2025-06-03");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("2025-06-01", "2025-06-03"), ((string?)diff["from"], (string?)diff["to"]));
        var agreement = Change(diff, "prisoner-exchanges", "round-2-pow-exchange-agreement");
        Assert.NotNull(agreement);
        Assert.Equal(("added", "agreements"), ((string?)agreement["kind"], (string?)agreement["section"]));
        Assert.Contains(agreement["evidence"]!.AsArray(), e => (string?)e!["sourceId"] == "unn-2025-07-23");
        Assert.NotNull(Change(diff, "rounds", "round-2-meeting"));
        Assert.DoesNotContain(diff["tracks"]!.AsArray().SelectMany(t => t!["changes"]!.AsArray()), c => (string?)c!["key"] == "round-1-meeting");
    }

    [Fact]
    public async Task A_diff_narrowed_to_a_track_and_to_what_was_known_before_the_round_shows_nothing_of_it()
    {
        var (_, narrowed) = await GetAsync($"{Istanbul}/diff?from=2025-06-01&to=2025-06-03&track=prisoner-exchanges");
        var (_, known) = await GetAsync($"{Istanbul}/diff?from=2025-06-01&to=2025-06-03&knownOn=2025-05-31");

        Assert.Equal(["prisoner-exchanges"], narrowed["tracks"]!.AsArray().Select(t => (string?)t!["trackId"]));
        Assert.Empty(known["tracks"]!.AsArray());
    }

    [Theory]
    [InlineData("from=2025-06-05&to=2025-06-01", "from", "after to")]
    [InlineData("from=2025-06-01&to=June", "to", "'June' is not a date")]
    [InlineData("to=2025-06-01", "from", "is required")]
    [InlineData("from=2025-06-01&to=2025-06-03&knownOn=2025-13-01", "knownOn", "is not a date")]
    public async Task A_diff_asked_with_bad_dates_is_400_naming_the_parameter(string query, string field, string message)
    {
        var (status, problem) = await GetAsync($"{Istanbul}/diff?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = Assert.Single(problem["errors"]!.AsArray());
        Assert.Equal(field, (string?)error!["field"]);
        Assert.Contains(message, (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_diff_of_a_negotiation_nobody_registered_is_404()
    {
        var (status, _) = await GetAsync("no-such-talks/diff?from=2025-06-01&to=2025-06-03");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    private Task<LedgerRun> LedgerAsync(params string[] args) =>
        LedgerProcess.RunAsync(new Dictionary<string, string> { ["LEDGER_CONNECTION"] = server.ConnectionString, ["LEDGER_SCHEMA"] = server.Schema }, args);

    [Fact]
    public async Task On_the_command_line_the_diff_shows_the_same_changes_as_json_and_as_a_table()
    {
        var json = await LedgerAsync("diff", "--from", "2025-06-01", "--to", "2025-06-03", "-n", Istanbul, "--format", "json");
        var table = await LedgerAsync("diff", "--from", "2025-06-01", "--to", "2025-06-03", "-n", Istanbul, "--track", "prisoner-exchanges");

        Assert.True(json.ExitCode == 0, json.Stderr);
        var agreement = Change(JsonNode.Parse(json.Stdout)!, "prisoner-exchanges", "round-2-pow-exchange-agreement");
        Assert.Equal("added", (string?)agreement?["kind"]);
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("agreement added", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("round-2-pow-exchange-agreement", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("unn-2025-07-23", table.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--from 2025-06-05 --to 2025-06-01", "--from 2025-06-05 is after --to 2025-06-01")]
    [InlineData("--from 2025-06-01 --to June", "--to: 'June' is not a date (YYYY-MM-DD)")]
    [InlineData("--to 2025-06-01", "--from")]
    public async Task On_the_command_line_bad_dates_are_one_clear_line_and_a_failing_exit_code(string args, string expected)
    {
        var run = await LedgerAsync(["diff", .. args.Split(' '), "-n", Istanbul]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_browser_the_diff_view_is_reached_from_the_main_page_and_lists_the_second_rounds_agreement()
    {
        Browser.SkipWithoutChromium();
        // LEDGER_DIFF_SCREENSHOT=docs/diff-view.png refreshes the documentation's picture; by default it stays in TestResults.
        var screenshot = Browser.Screenshot("diff-view.png", "LEDGER_DIFF_SCREENSHOT");
        await Browser.RunScriptAsync("diff-test.mjs", [server.BaseAddress.ToString().TrimEnd('/'), screenshot], null, Ct);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot was written");
    }
}
