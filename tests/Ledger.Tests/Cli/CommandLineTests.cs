using System.Text.Json;
using Ledger.Tests.Corpus;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Cli;

/// <summary>The repository's seeds/ and events/, imported by a <c>ledger import</c> process into a schema of its own.</summary>
public sealed class CorpusOverTheCommandLine(PostgresFixture postgres) : IAsyncLifetime
{
    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    public async ValueTask InitializeAsync()
    {
        Environment = new Dictionary<string, string>
        {
            ["LEDGER_CONNECTION"] = postgres.ConnectionString,
            ["LEDGER_SCHEMA"] = postgres.NewSchemaName("cli"),
        };
        var import = await LedgerProcess.RunAsync(Environment, "import", "--format", "json");
        Assert.True(import.ExitCode == 0, import.ToString());
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public sealed class CommandLineTests(CorpusOverTheCommandLine corpus) : IClassFixture<CorpusOverTheCommandLine>
{
    private const string Istanbul = "ru-ua-istanbul-2025";
    private const string Gaza = "gaza-ceasefire-2025";

    /// <summary>What a Docker user has before the database container has started: an address where nothing listens.</summary>
    private static readonly Dictionary<string, string> NothingListening = new() { ["LEDGER_CONNECTION"] = "Host=127.0.0.1;Port=1;Username=ledger;Database=ledger" };

    public static TheoryData<string[]> EveryCommandThatReadsTheLedger => new(
        ["status"], ["timeline"], ["report"], ["sources"], ["import"], ["verify"], ["rebuild"], ["audit", "--track", "rounds"],
        ["audit", "--event", Guid.NewGuid().ToString()], ["withdraw", "--claim", Guid.NewGuid().ToString(), "--reason", "test"],
        ["webhooks", "dead-letters"], ["watch"], ["serve", "--urls", "http://127.0.0.1:0"], []);

    [Theory]
    [MemberData(nameof(EveryCommandThatReadsTheLedger))]
    public async Task A_database_that_does_not_answer_is_one_line_naming_it_and_exit_69(string[] arguments)
    {
        var run = await LedgerProcess.RunAsync(NothingListening, arguments);

        Assert.True(run.ExitCode == 69, run.ToString());
        var line = Assert.Single(Lines(run.Stderr));
        Assert.Contains("127.0.0.1:1", line, StringComparison.Ordinal);
        Assert.Contains("LEDGER_CONNECTION", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("Host=127.0.0.1;Colour=blue")]
    public async Task A_connection_string_that_is_not_one_is_bad_input_naming_LEDGER_CONNECTION(string connection)
    {
        var run = await LedgerProcess.RunAsync(new Dictionary<string, string> { ["LEDGER_CONNECTION"] = connection }, "status");

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(Lines(run.Stderr));
        Assert.StartsWith("ledger status: LEDGER_CONNECTION is not a PostgreSQL connection string", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LEDGER_DEBUG_shows_the_whole_exception()
    {
        var run = await LedgerProcess.RunAsync(new Dictionary<string, string>(NothingListening) { ["LEDGER_DEBUG"] = "1" }, "status");

        Assert.Equal(69, run.ExitCode);
        Assert.Contains("NpgsqlException", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--event: 'not-an-id' is not a claim or event id", "audit", "--event", "not-an-id")]
    [InlineData("--as-of: '2025-13-01' is not a date (YYYY-MM-DD)", "status", "--as-of", "2025-13-01")]
    [InlineData("--known-on: 'yesterday' is not a date (YYYY-MM-DD)", "timeline", "--known-on", "yesterday")]
    [InlineData("--format: 'xml' is not one of table, json", "status", "--format", "xml")]
    [InlineData("--format: 'yaml' is not one of table, json", "sources", "--format", "yaml")]
    [InlineData("--recorded-at: 'noon' is not a moment", "status", "--recorded-at", "noon")]
    [InlineData("--as-of: '2025-02-30' is not a date (YYYY-MM-DD)", "report", "--as-of", "2025-02-30")]
    [InlineData("--from: 'start' is not a whole number", "watch", "--from", "start")]
    [InlineData("sequence: 'last' is not a delivery's sequence number", "webhooks", "resend", "3f2a8c1e-5b7d-4e9a-8c61-2d0f9b4a7e35", "last")]
    [InlineData("--claim: 'c-12' is not a claim id", "withdraw", "--claim", "c-12", "--reason", "miscoded")]
    [InlineData("--webhook: 'hook' is not a webhook id", "webhooks", "dead-letters", "--webhook", "hook")]
    [InlineData("Unrecognized command or argument 'stats'", "stats")]
    public async Task An_option_value_it_cannot_read_is_named_with_what_was_expected_and_exit_2(string expected, params string[] arguments)
    {
        var run = await LedgerProcess.RunAsync(NothingListening, arguments);

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(Lines(run.Stderr));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Ledger.Cli", line, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Theory]
    [InlineData("import", "--events")]
    [InlineData("import", "--seeds")]
    [InlineData("verify", "--seeds")]
    [InlineData("verify", "--events")]
    public async Task A_folder_that_does_not_exist_is_refused_not_read_as_empty(string command, string option)
    {
        var missing = Path.Combine(Path.GetTempPath(), "ledger-no-such-folder-" + Guid.NewGuid().ToString("N"));

        var run = await LedgerProcess.RunAsync(corpus.Environment, command, option, missing);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"{option}: folder '{missing}' does not exist", Assert.Single(Lines(run.Stderr)), StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task Timeline_of_an_unknown_track_is_refused_listing_the_tracks()
    {
        var unknown = await LedgerProcess.RunAsync(corpus.Environment, "timeline", "-n", Istanbul, "--track", "no-such-track");
        var known = await LedgerProcess.RunAsync(corpus.Environment, "timeline", "-n", Istanbul, "--track", "working-groups", "--format", "json");

        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Empty(unknown.Stdout);
        var line = Assert.Single(Lines(unknown.Stderr), l => l.StartsWith("ledger timeline:", StringComparison.Ordinal));
        Assert.Contains("'no-such-track'", line, StringComparison.Ordinal);
        Assert.Contains("working-groups", line, StringComparison.Ordinal);
        Assert.True(known.ExitCode == 0, known.ToString());
        Assert.NotEqual(0, JsonDocument.Parse(known.Stdout).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Report_without_dates_shows_the_negotiations_own_first_and_last_days_and_says_so()
    {
        var timeline = JsonDocument.Parse((await LedgerProcess.RunAsync(corpus.Environment, "timeline", "-n", Gaza, "--format", "json")).Stdout).RootElement;
        var occurred = timeline.EnumerateArray().Select(e => e.GetProperty("occurredBy").GetString()!).Order(StringComparer.Ordinal).ToList();

        var run = await LedgerProcess.RunAsync(corpus.Environment, "report", "-n", Gaza, "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal([occurred[0], occurred[^1]], report.GetProperty("asOf").EnumerateArray().Select(d => d.GetString()!));
        Assert.Contains($"{occurred[0]} and {occurred[^1]}", run.Stderr, StringComparison.Ordinal);
        var columns = report.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(2, columns.Count);
        Assert.All(columns, column => Assert.Contains(
            column.GetProperty("tracks").EnumerateArray(),
            track => track.GetProperty("status").GetProperty("phase").GetProperty("value").GetString() != "no-contact"));
    }

    [Fact]
    public async Task Report_as_json_has_a_column_per_date_given()
    {
        var run = await LedgerProcess.RunAsync(corpus.Environment, "report", "-n", Istanbul, "--as-of", "2025-07-22", "--as-of", "2025-07-24", "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(Istanbul, report.GetProperty("negotiation").GetString());
        Assert.Equal(["as of 2025-07-22", "as of 2025-07-24"], report.GetProperty("columns").EnumerateArray().Select(c => "as of " + c.GetProperty("axes").GetProperty("asOf").GetString()));
        Assert.DoesNotContain("No --as-of given", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_names_the_seeds_folder_it_was_given()
    {
        var folder = Directory.CreateTempSubdirectory("ledger-verify-seeds-").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root, "seeds")))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            var run = await LedgerProcess.RunAsync(corpus.Environment, "verify", "--seeds", folder);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains($"compared with their file in {folder})", run.Stdout.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.DoesNotContain("seeds/", run.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_help_lists_urls_with_a_balanced_usage_line()
    {
        var run = await LedgerProcess.RunAsync(NothingListening, "serve", "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("--urls <URL>", run.Stdout, StringComparison.Ordinal);
        var usage = Lines(run.Stdout).SkipWhile(l => !l.StartsWith("Usage:", StringComparison.Ordinal)).Skip(1).First();
        Assert.Equal(usage.Count(c => c == '['), usage.Count(c => c == ']'));
    }

    [Fact]
    public async Task The_bench_help_describes_what_it_measures()
    {
        var run = await LedgerProcess.RunFileAsync(Path.Combine(AppContext.BaseDirectory, "ledger-bench.dll"), NothingListening, TimeSpan.FromMinutes(1), "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var workload in new[] { "B1", "B2", "B3", "B4", "B5", "B6", "--size", "--only" })
        {
            Assert.Contains(workload, run.Stdout, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("issue", run.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    private static List<string> Lines(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
