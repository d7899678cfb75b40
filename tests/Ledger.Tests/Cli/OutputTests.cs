using System.Text.RegularExpressions;
using Ledger.Audit;
using Ledger.Sources;
using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Ledger.Tests.Corpus;
using Ledger.Tests.Infrastructure;
using Ledger.Timeline;
using Ledger.Tracks;
using Spectre.Console;

namespace Ledger.Tests.Cli;

/// <summary>
/// What people read in a terminal, rendered from the repository's corpus as a pipe sees it (80 columns, no colour):
/// no line past the width, no word, date, key or file name split across lines, no enum names, dates as reported.
/// </summary>
public partial class OutputTests(PostgresFixture postgres, IstanbulCorpus corpus) : IClassFixture<IstanbulCorpus>
{
    private const int Columns = 80;

    private static readonly string[] Negotiations = [IstanbulCorpus.Negotiation, GazaCorpus.Negotiation];

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Status_at_80_columns_keeps_every_line_inside_and_every_word_whole()
    {
        foreach (var negotiation in Negotiations)
        {
            var status = await StatusAsync(negotiation, null);
            var output = Render(console => StatusCommand.Render(status, Ledger.Cli.OutputFormat.Table, console));

            AssertFits(output);
            // The phase stands in each track's heading, in words.
            foreach (var field in status.Tracks.SelectMany(t => t.Status.Fields()).Where(f => f.Path != "phase"))
            {
                AssertWhole(output, field.Value);
                AssertWhole(output, string.Join(' ', field.Path.Split('.')));
                AssertWhole(output, string.Join(' ', field.Evidence.Select(e => e.SourceId)));
            }

            foreach (var track in status.Tracks)
            {
                Assert.Contains($"{track.Track.Title} ({track.Track.Id})", Flatten(output), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task The_timeline_takes_at_most_three_lines_a_report_at_80_columns_and_wide_keeps_every_report()
    {
        foreach (var negotiation in Negotiations)
        {
            await Projections.CatchUpAsync(corpus.Store, _ct);
            await using var session = corpus.Store.QuerySession();
            var entries = await TimelineQueries.ForAsync(session, negotiation, null, TimeAxes.Now, _ct);
            Assert.NotEmpty(entries);

            var compact = Render(console => TimelineCommand.Render(negotiation, entries, wide: false, console));
            var lines = compact.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            AssertFits(compact);
            Assert.InRange(lines.Length, 1, 3 * entries.Count);
            foreach (var entry in entries)
            {
                // The date as reported ("before 2025-05-16", "undated, published …") and the track, each on one line.
                Assert.Contains(entry.Occurred, compact, StringComparison.Ordinal);
                Assert.Contains(entry.TrackId, compact, StringComparison.Ordinal);
            }

            // A summary shortened to the line ends at a whole word: every word of its line is one of the summary's.
            var words = entries.SelectMany(e => e.Summary.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
            foreach (var word in lines.Where(l => l.StartsWith("  ", StringComparison.Ordinal)).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            {
                var shown = word.TrimEnd('…');
                Assert.True(words.Contains(shown) || ",;:".Any(p => words.Contains(shown + p)), $"'{word}' is not a whole word of a summary");
            }

            var wide = Render(console => TimelineCommand.Render(negotiation, entries, wide: true, console), width: 400);
            foreach (var entry in entries)
            {
                Assert.Contains(entry.DevelopmentKey, wide, StringComparison.Ordinal);
                Assert.Contains(entry.SourceId, wide, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Dates_keep_the_precision_their_sources_give()
    {
        await Projections.CatchUpAsync(corpus.Store, _ct);
        await using var session = corpus.Store.QuerySession();
        var entries = await TimelineQueries.ForAsync(session, IstanbulCorpus.Negotiation, null, TimeAxes.Now, _ct);
        var timeline = Render(console => TimelineCommand.Render(IstanbulCorpus.Negotiation, entries, wide: false, console));
        Assert.Contains("before 2025-05-16", timeline, StringComparison.Ordinal);
        Assert.Contains("by 2024-12-31", timeline, StringComparison.Ordinal);

        // A long track's lists start at its earliest development shown; a "before" date is not its last possible day.
        var status = await StatusAsync(IstanbulCorpus.Negotiation, null);
        var track = status.Tracks[0];
        var windowed = status with
        {
            Tracks = [track with { Status = track.Status with { Window = new StatusWindow(5, new DateOnly(2025, 10, 25), 3) { FromAsReported = "before 2025-10-26" } } }],
        };
        var output = Render(console => StatusCommand.Render(windowed, Ledger.Cli.OutputFormat.Table, console));
        Assert.Contains("occurred from before 2025-10-26", Flatten(output), StringComparison.Ordinal);
        Assert.DoesNotContain("2025-10-25", output, StringComparison.Ordinal);

        var lastChanges = status.Tracks.Select(t => t.Status.LastChange?.Occurred).OfType<string>().ToList();
        Assert.Contains(lastChanges, o => o.Contains("undated, published", StringComparison.Ordinal));
        var statusOutput = Render(console => StatusCommand.Render(status, Ledger.Cli.OutputFormat.Table, console));
        foreach (var occurred in lastChanges)
        {
            AssertWhole(statusOutput, occurred);
            Assert.Contains(occurred, Flatten(statusOutput), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Audit_without_colour_marks_the_quote_in_its_sentence_and_names_the_phase_in_words()
    {
        await using var session = corpus.Store.QuerySession();
        var audit = await AuditQueries.TrackAsync(session, IstanbulCorpus.Negotiation, "working-groups", null, new TimeAxes(AsOf: new DateOnly(2025, 7, 23)), _ct);
        var output = Render(console => AuditCommand.Render(audit, console));

        AssertFits(output);
        Assert.Contains("working-groups.phase = under consideration", output, StringComparison.Ordinal);
        Assert.DoesNotMatch(EnumName(), output);
        var claims = audit.Fields.SelectMany(f => f.Claims).ToList();
        Assert.NotEmpty(claims);
        var flat = Flatten(output);
        foreach (var claim in claims)
        {
            var q = claim.Quote;
            var quoted = q.Sentence.Substring(q.StartInSentence, Math.Min(q.Exact.Length, q.Sentence.Length - q.StartInSentence));
            Assert.Contains($"«{Flatten(quoted)}»", flat, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("import")]
    [InlineData("sources")]
    [InlineData("diff", "-n", IstanbulCorpus.Negotiation, "--from", "2025-05-01", "--to", "2025-09-01")]
    public async Task Import_sources_and_diff_fit_80_columns_with_every_file_name_source_and_key_whole(params string[] command)
    {
        var run = await LedgerProcess.RunAsync(
            new Dictionary<string, string> { ["LEDGER_CONNECTION"] = postgres.ConnectionString, ["LEDGER_SCHEMA"] = corpus.Schema, ["COLUMNS"] = $"{Columns}" },
            command);

        Assert.True(run.ExitCode == 0, run.ToString());
        AssertFits(run.Stdout);
        foreach (var file in corpus.Import.Files)
        {
            AssertWhole(run.Stdout, command[0] == "import" ? Path.GetFileName(file.File) : "");
        }

        if (command[0] == "sources")
        {
            foreach (var source in await SourceQueries.AllAsync(corpus.Store, _ct))
            {
                AssertWhole(run.Stdout, source.Id);
                AssertWhole(run.Stdout, source.Title);
                AssertWhole(run.Stdout, source.ContentHash);
            }
        }

        if (command[0] == "diff")
        {
            Assert.Contains("agreement added", run.Stdout, StringComparison.Ordinal);
            AssertWhole(run.Stdout, "round-2-pow-exchange-agreement ukrainska-pravda-2025-06-16");
        }
    }

    private async Task<NegotiationStatus> StatusAsync(string negotiation, DateOnly? asOf)
    {
        await using var session = corpus.Store.QuerySession();
        return await TrackQueries.StatusAsync(session, negotiation, null, new TimeAxes(AsOf: asOf), null, _ct);
    }

    /// <summary>What a command writes to a pipe: no colour, no ANSI, the given width.</summary>
    private static string Render(Action<IAnsiConsole> write, int width = Columns)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        write(console);
        return writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static void AssertFits(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            Assert.True(line.Length <= Columns, $"{line.Length} columns: {line}");
        }
    }

    /// <summary>Every whitespace-separated token of <paramref name="text"/> stands whole on some line of the output.</summary>
    private static void AssertWhole(string output, string text)
    {
        var tokens = new HashSet<string>(output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
        foreach (var token in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(
                tokens.Any(t => t.Contains(token, StringComparison.Ordinal)),
                $"'{token}' of \"{text}\" is split across lines or missing");
        }
    }

    /// <summary>The output's words in one line, with panel borders and indents gone, to find a sentence that wraps.</summary>
    private static string Flatten(string output) =>
        string.Join(' ', output.Replace('│', ' ').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"NoContact|UnderConsideration|InProgress|NotYetAccepted|PartlyAccepted|phase = [A-Z]")]
    private static partial Regex EnumName();
}
