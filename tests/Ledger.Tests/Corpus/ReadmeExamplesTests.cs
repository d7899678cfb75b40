using System.Text.RegularExpressions;
using Ledger.Tests.Cli;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Corpus;

/// <summary>
/// Runs every command-line example of the README (a <c>$ dotnet run --project src/Ledger -- …</c> line in a <c>text</c>
/// block) against the repository's corpus and compares what it prints with what the README shows under it.
/// </summary>
public sealed partial class ReadmeExamplesTests(PostgresFixture postgres, IstanbulCorpus corpus) : IClassFixture<IstanbulCorpus>
{
    private const string Prompt = "$ dotnet run --project src/Ledger -- ";

    /// <summary>The README's examples are printed at this width (its worked example says so).</summary>
    private const string Columns = "110";

    public static TheoryData<int> Examples()
    {
        var data = new TheoryData<int>();
        foreach (var example in ReadExamples())
        {
            data.Add(example.Line);
        }

        return data;
    }

    [Fact]
    public void The_README_has_command_line_examples_with_their_output()
    {
        var examples = ReadExamples();
        Assert.True(examples.Count >= 4, $"expected the README's worked examples, found {examples.Count}");
        Assert.All(examples, e => Assert.NotEmpty(e.Output));
    }

    [Fact]
    public void The_HTTP_examples_send_the_keys_the_serve_example_configures()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var configured = ConfiguredKeys().Matches(readme)
            .SelectMany(m => m.Groups["keys"].Value.Split([',', ';'], StringSplitOptions.TrimEntries))
            .Select(entry => entry.Split('=', 2)[1].Split(':')[0])
            .ToHashSet(StringComparer.Ordinal);
        var sent = SentKeys().Matches(readme).Select(m => m.Groups["key"].Value).ToList();

        Assert.NotEmpty(configured);
        Assert.NotEmpty(sent);
        Assert.All(sent, key => Assert.Contains(key, configured));
    }

    [GeneratedRegex("LEDGER_API_KEYS=\"(?<keys>[^\"]+)\"")]
    private static partial Regex ConfiguredKeys();

    [GeneratedRegex(@"Authorization: Bearer (?<key>[^""\s<]+)")]
    private static partial Regex SentKeys();

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task An_example_prints_what_the_README_shows(int line)
    {
        var example = ReadExamples().Single(e => e.Line == line);
        var printed = new List<string>();
        foreach (var command in example.Commands)
        {
            var run = await RunAsync(command);
            Assert.True(run.ExitCode == 0, $"README line {line}: `{command}`: {run}");
            printed.AddRange(Lines(run.Stdout));
        }

        Assert.Equal(Normalise(example.Output), Normalise(printed));
    }

    private sealed record Example(int Line, IReadOnlyList<string> Commands, IReadOnlyList<string> Output);

    private static List<Example> ReadExamples()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "README.md"));
        var examples = new List<Example>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i] != "```text" || i + 1 >= lines.Length || !lines[i + 1].StartsWith(Prompt, StringComparison.Ordinal))
            {
                continue;
            }

            var start = i + 1;
            var commands = new List<string>();
            var output = new List<string>();
            for (i = start; i < lines.Length && lines[i] != "```"; i++)
            {
                if (output.Count == 0 && lines[i].StartsWith(Prompt, StringComparison.Ordinal))
                {
                    commands.Add(lines[i][Prompt.Length..]);
                }
                else
                {
                    output.Add(lines[i]);
                }
            }

            examples.Add(new Example(start + 1, commands, output));
        }

        return examples;
    }

    /// <summary>
    /// What differs between two imports of the same files: event ids, when and by whom they were recorded (and so the
    /// padding around them).
    /// </summary>
    private static List<string> Normalise(IEnumerable<string> lines) =>
        lines.Select(l => Spaces().Replace(EventId().Replace(RecordedAt().Replace(l, "recorded <time> by <recorder>"), "<id>"), " ").TrimEnd()).ToList();

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"recorded\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z by \S+")]
    private static partial Regex RecordedAt();

    [GeneratedRegex(@"(?<=│\s+)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?= · #)")]
    private static partial Regex EventId();

    private static string[] Lines(string output) => output.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');

    private Task<LedgerRun> RunAsync(string command) =>
        LedgerProcess.RunAsync(
            new Dictionary<string, string>
            {
                ["LEDGER_CONNECTION"] = postgres.ConnectionString,
                ["LEDGER_SCHEMA"] = corpus.Schema,
                ["COLUMNS"] = Columns,
            },
            command.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
