using Ledger.Import;
using Ledger.Sources;
using Ledger.Tests.Infrastructure;
using Marten;

namespace Ledger.Tests.Sources;

/// <summary><c>ledger add-source</c> against a ledger holding the sample: what it registers, writes and refuses.</summary>
public sealed class AddSourceTests(PostgresFixture postgres, SampleLedger ledger) : IClassFixture<SampleLedger>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private static readonly SourceMetadata Complete = new(Outlet: "Gamma Post", Title: "Exchange continues", Published: "2025-03-06", Language: "en", Url: "https://example.org/gamma/0306");

    private static string Article(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), "ledger-article-" + Guid.NewGuid().ToString("N")[..8] + ".txt");
        File.WriteAllText(path, text);
        return path;
    }

    private async Task<(int Exit, string Output, string Error)> AddAsync(AddSourceRequest request)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await AddSourceCommand.RunAsync(ledger.Store, request, output, error, _ct);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Without_a_terminal_the_missing_fields_are_named_with_their_options()
    {
        var (exit, _, error) = await AddAsync(new AddSourceRequest(Article("North and South met."), new SourceMetadata(Outlet: "Gamma Post")));

        Assert.Equal(1, exit);
        Assert.Contains("missing title, published, language: give --title, --published, --language", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_a_terminal_the_missing_fields_are_asked_for_and_the_answers_registered()
    {
        // util-linux's script gives the command a pseudo-terminal, as an analyst's shell does; the answers are typed ahead.
        const string Script = "/usr/bin/script";
        if (!File.Exists(Script))
        {
            Assert.Skip("util-linux's script is not installed: it gives the command the terminal this test needs.");
        }

        var article = Article("Delta Wire, 7 March 2025.\nNorth and South met again.\n");
        var command = $"dotnet '{Path.Combine(AppContext.BaseDirectory, "ledger.dll")}' add-source '{article}' -n sample-talks --id delta-wire-2025-03-07";
        var run = await ChildProcess.RunAsync(
            Script,
            ["-qec", command, "/dev/null"],
            null,
            new Dictionary<string, string?> { ["LEDGER_CONNECTION"] = postgres.ConnectionString, ["LEDGER_SCHEMA"] = ledger.Schema, ["LEDGER_HOME"] = null },
            TimeSpan.FromMinutes(2),
            stdin: "Delta Wire\rNorth and South meet\r2025-03-07\ren\r",
            ct: _ct);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("outlet:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("published (", run.Stdout, StringComparison.Ordinal);
        var registered = Assert.Single(await SourceQueries.AllAsync(ledger.Store, _ct), s => s.Id == "delta-wire-2025-03-07");
        Assert.Equal(("Delta Wire", "North and South meet", new DateOnly(2025, 3, 7), "en"), (registered.Outlet, registered.Title, registered.Published, registered.Language));
    }

    [Theory]
    [InlineData("published", "20 August", "--published: '20 August' is not a date (YYYY-MM-DD)")]
    [InlineData("published", "2025-02-30", "--published: '2025-02-30' is not a date (YYYY-MM-DD)")]
    [InlineData("id", "Gamma_Post", "--id: 'Gamma_Post' is not an id")]
    [InlineData("url", "example.org/x", "--url: 'example.org/x' is not an http or https address")]
    [InlineData("language", "English", "--language: 'English' is not a language code")]
    public async Task A_bad_option_is_refused_by_name_and_nothing_is_registered(string field, string value, string message)
    {
        var metadata = field switch
        {
            "published" => Complete with { Published = value },
            "id" => Complete with { Id = value },
            "url" => Complete with { Url = value },
            _ => Complete with { Language = value },
        };
        var before = await ledger.EventCountAsync();

        var (exit, _, error) = await AddAsync(new AddSourceRequest(Article("North and South met on 5 March."), metadata));

        Assert.Equal(1, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal(before, await ledger.EventCountAsync());
    }

    [Fact]
    public async Task An_unknown_negotiation_is_refused()
    {
        var (exit, _, error) = await AddAsync(new AddSourceRequest(Article("Text."), Complete with { Id = "gamma-unknown-negotiation" }, NegotiationId: "no-such-talks"));

        Assert.Equal(1, exit);
        Assert.Contains("--negotiation: unknown negotiation 'no-such-talks'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_is_registered_and_its_seeds_written_as_an_import_reads_them()
    {
        var root = LedgerDatabase.CopySample();
        var text = "Gamma Post, 6 March.\nThe exchange of 300 prisoners continued on Wednesday, Iwan Sorokin said.\n";

        var (exit, output, error) = await AddAsync(new AddSourceRequest(Article(text), Complete with { TranslationNote = "Translated by the desk" }, "sample-talks", Path.Combine(root, "seeds")));

        Assert.True(exit == 0, error);
        Assert.Contains("registered source 'gamma-post-2025-03-06'", output, StringComparison.Ordinal);
        Assert.Contains("next: ledger draft gamma-post-2025-03-06 -n sample-talks", output, StringComparison.Ordinal);
        Assert.Equal(text, await File.ReadAllTextAsync(Path.Combine(root, "seeds", "gamma-post-2025-03-06.txt"), _ct));
        await using (var session = ledger.Store.QuerySession())
        {
            var source = await session.LoadAsync<Source>("source/gamma-post-2025-03-06", _ct);
            Assert.NotNull(source);
            Assert.Equal(text, source.Text);
            Assert.Equal("Gamma Post", source.Outlet);
            Assert.Equal(new DateOnly(2025, 3, 6), source.Published);
            Assert.Equal("Translated by the desk", source.TranslationNote);
        }

        // The written seeds are what the store holds: importing them registers nothing new.
        var import = await ledger.ImportAsync(root);
        var seeds = Assert.Single(import.Files, f => f.File == Path.Combine("seeds", "gamma-post-2025-03-06.txt"));
        Assert.Equal(FileOutcome.Unchanged, seeds.Outcome);

        // Added again with the same text: nothing new; with other text under the same id: refused.
        var again = await AddAsync(new AddSourceRequest(Article(text), Complete));
        Assert.Equal(0, again.Exit);
        Assert.Contains("already registered", again.Output, StringComparison.Ordinal);
        var other = await AddAsync(new AddSourceRequest(Article(text + "More.\n"), Complete));
        Assert.Equal(1, other.Exit);
        Assert.Contains("is registered with different text", other.Error, StringComparison.Ordinal);
    }
}
