using Ledger.Drafting;
using Ledger.Import;
using Ledger.Infrastructure;
using Ledger.Sources;
using Ledger.Tests.Cli;
using Ledger.Tests.Infrastructure;
using Ledger.Tracks;
using Marten;

namespace Ledger.Tests.Drafting;

/// <summary>
/// A new article coded end to end on the sample ledger: add-source, draft, the analyst's edits, import, status.
/// </summary>
public sealed class CodingAnArticleTests(PostgresFixture postgres)
{
    private const string Source = "gamma-post-2025-03-06";

    // Published on Thursday 6 March 2025: "on Wednesday" is 5 March.
    private const string ArticleText = "Gamma Post, 6 March 2025.\nThe exchange of 300 prisoners between North and South continued on Wednesday, Iwan Sorokin said.\nSouth expects about 150 more prisoners to be released by the end of March.\n";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private sealed class Fresh(PostgresFixture postgres) : LedgerDatabase(postgres);

    private async Task<(Fresh Ledger, string Root, string Draft)> DraftedAsync()
    {
        var ledger = new Fresh(postgres);
        await ledger.InitializeAsync();
        var root = LedgerDatabase.CopySample();
        Assert.True((await ledger.ImportAsync(root)).Succeeded);
        var article = Path.Combine(root, "article.txt");
        await File.WriteAllTextAsync(article, ArticleText, _ct);
        var metadata = new SourceMetadata(Outlet: "Gamma Post", Title: "Exchange continues", Published: "2025-03-06", Language: "en");
        var added = await AddSourceCommand.RunAsync(ledger.Store, new AddSourceRequest(article, metadata, "sample-talks", Path.Combine(root, "seeds")), TextWriter.Null, TextWriter.Null, _ct);
        Assert.Equal(0, added);

        var draft = Path.Combine(root, "events", "sample-talks", "03-gamma-post.yaml");
        var (output, error) = (new StringWriter(), new StringWriter());
        var drafted = await DraftCommand.RunAsync(ledger.Store, Source, null, draft, output, error, _ct);
        Assert.True(drafted == 0, error.ToString());
        return (ledger, root, draft);
    }

    [Fact]
    public async Task A_new_article_is_added_drafted_finished_and_imported_and_status_shows_it()
    {
        var (ledger, root, draftPath) = await DraftedAsync();
        await using var _ = ledger;
        var draft = await File.ReadAllTextAsync(draftPath, _ct);

        // The draft found the known exchange in the second sentence, with its count, its date and who said it.
        Assert.Contains("negotiation: sample-talks", draft, StringComparison.Ordinal);
        Assert.Contains("  - key: pow-exchange-300", draft, StringComparison.Ordinal);
        Assert.Contains("kind: exchange-underway", draft, StringComparison.Ordinal);
        Assert.Contains("occurred: 2025-03-05", draft, StringComparison.Ordinal);
        Assert.Contains("\"on Wednesday\" = 2025-03-05", draft, StringComparison.Ordinal);
        Assert.Contains("said-by: \"Iwan Sorokin\"", draft, StringComparison.Ordinal);
        Assert.Contains("category: \"prisoners-of-war\"", draft, StringComparison.Ordinal);
        Assert.Contains("{ to: TODO, count: \"300\" }", draft, StringComparison.Ordinal);
        Assert.Contains("\"about 150\" = about 150", draft, StringComparison.Ordinal);
        Assert.Contains("\"by the end of March\" = by 2025-03-31 (a deadline)", draft, StringComparison.Ordinal);

        // The analyst keeps the exchange, says who received the prisoners and what the report says.
        var finished = Finish(draft, "pow-exchange-300", new Dictionary<string, string>
        {
            ["to: TODO"] = "to: north",
            ["text: TODO  # in a few words, what this report says"] = "text: Exchange of 300 prisoners continued",
        });
        Assert.DoesNotContain(finished.Split('\n'), l => l.Contains("TODO", StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'));
        await File.WriteAllTextAsync(draftPath, finished, _ct);

        var import = await ledger.ImportAsync(root);

        var file = Assert.Single(import.Files, f => f.File == Path.Combine("events", "sample-talks", "03-gamma-post.yaml"));
        Assert.True(file.Outcome == FileOutcome.Imported, string.Join("\n", file.Errors));
        Assert.Equal(1, file.Appended);
        await using var session = ledger.Store.QuerySession();
        var status = await TrackQueries.StatusAsync(session, "sample-talks", "prisoners", Ledger.Domain.Tracks.TimeAxes.Now, null, _ct);
        var shown = Json.Serialize(status);
        Assert.Contains("pow-exchange-300", shown, StringComparison.Ordinal);
        Assert.Contains(Source, shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unfinished_draft_is_refused_naming_each_TODO_by_line_and_field()
    {
        var (ledger, root, draftPath) = await DraftedAsync();
        await using var _ = ledger;
        var lines = await File.ReadAllLinesAsync(draftPath, _ct);
        var before = await ledger.EventCountAsync();

        var import = await ledger.ImportAsync(root);

        var file = Assert.Single(import.Files, f => f.File == Path.Combine("events", "sample-talks", "03-gamma-post.yaml"));
        Assert.Equal(FileOutcome.Rejected, file.Outcome);
        Assert.NotEmpty(file.Errors);
        Assert.All(file.Errors, e =>
        {
            Assert.Contains("is still TODO", e.Message, StringComparison.Ordinal);
            Assert.Contains("TODO", lines[e.Line - 1], StringComparison.Ordinal);
            Assert.Contains(e.Field.Split('.')[^1].Split('[')[0] + ":", lines[e.Line - 1], StringComparison.Ordinal);
        });
        Assert.Contains(file.Errors, e => e.Field.EndsWith("transfers[0].to", StringComparison.Ordinal));
        Assert.Equal(before, await ledger.EventCountAsync());
    }

    [Fact]
    public async Task The_same_article_coded_with_the_ledger_command_line_as_an_analyst_types_it()
    {
        var ledger = new Fresh(postgres);
        await ledger.InitializeAsync();
        await using var _ = ledger;
        var root = LedgerDatabase.CopySample();
        var environment = new Dictionary<string, string> { ["LEDGER_CONNECTION"] = postgres.ConnectionString, ["LEDGER_SCHEMA"] = ledger.Schema };
        var (seeds, events) = (Path.Combine(root, "seeds"), Path.Combine(root, "events"));
        Assert.Equal(0, (await LedgerProcess.RunAsync(environment, "import", "--seeds", seeds, "--events", events)).ExitCode);
        var article = Path.Combine(root, "article.txt");
        await File.WriteAllTextAsync(article, ArticleText, _ct);

        // Not at a terminal, a missing field is named with its option rather than asked for.
        var incomplete = await LedgerProcess.RunAsync(environment, "add-source", article, "-n", "sample-talks", "--outlet", "Gamma Post");
        Assert.NotEqual(0, incomplete.ExitCode);
        Assert.Contains("--published", incomplete.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", incomplete.Stderr, StringComparison.Ordinal);

        var added = await LedgerProcess.RunAsync(
            environment, "add-source", article, "-n", "sample-talks", "--outlet", "Gamma Post", "--title", "Exchange continues",
            "--published", "2025-03-06", "--language", "en", "--write-seeds", seeds);
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.True(File.Exists(Path.Combine(seeds, Source + ".txt")), added.ToString());

        var draftPath = Path.Combine(events, "sample-talks", "03-gamma-post.yaml");
        var drafted = await LedgerProcess.RunAsync(environment, "draft", Source, "--output", draftPath);
        Assert.True(drafted.ExitCode == 0, drafted.ToString());

        // Unfinished, the draft is refused by import, naming where; finished, it is imported.
        var refused = await LedgerProcess.RunAsync(environment, "import", "--seeds", seeds, "--events", events);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("03-gamma-post.yaml", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("is still TODO", refused.Stderr, StringComparison.Ordinal);

        var finished = Finish(await File.ReadAllTextAsync(draftPath, _ct), "pow-exchange-300", new Dictionary<string, string>
        {
            ["to: TODO"] = "to: north",
            ["text: TODO  # in a few words, what this report says"] = "text: Exchange of 300 prisoners continued",
        });
        await File.WriteAllTextAsync(draftPath, finished, _ct);
        var imported = await LedgerProcess.RunAsync(environment, "import", "--seeds", seeds, "--events", events);
        Assert.True(imported.ExitCode == 0, imported.ToString());

        var audit = await LedgerProcess.RunAsync(environment, "audit", "-n", "sample-talks", "--track", "prisoners", "--format", "json");
        Assert.True(audit.ExitCode == 0, audit.ToString());
        Assert.Contains(Source, audit.Stdout, StringComparison.Ordinal);
        Assert.Contains("The exchange of 300 prisoners between North and South continued on Wednesday", audit.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Keeps the developments with <paramref name="key"/> and fills their TODOs as the analyst would.</summary>
    private static string Finish(string draft, string key, Dictionary<string, string> edits)
    {
        var lines = draft.Split('\n');
        var starts = Enumerable.Range(0, lines.Length).Where(i => lines[i].StartsWith("  - key:", StringComparison.Ordinal)).Append(lines.Length).ToList();
        var kept = lines.Take(starts[0]).ToList();
        for (var i = 0; i + 1 < starts.Count; i++)
        {
            if (lines[starts[i]] == $"  - key: {key}")
            {
                kept.AddRange(lines[starts[i]..starts[i + 1]]);
            }
        }

        var finished = string.Join('\n', kept);
        foreach (var (from, to) in edits)
        {
            finished = finished.Replace(from, to, StringComparison.Ordinal);
        }

        return finished;
    }
}
