using Ledger.Audit;
using Ledger.Import;
using Ledger.Tests.Infrastructure;
using Marten;

namespace Ledger.Tests.Store;

/// <summary>An event file of a hostile shape is rejected whole with a "(syntax)" error at its line; the others still import.</summary>
public class ImportLimitsTests(PostgresFixture postgres)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private sealed class Fresh(PostgresFixture postgres) : LedgerDatabase(postgres);

    public static TheoryData<string, string> HostileTails => new()
    {
        { "---\nnegotiation: sample-talks\ndevelopments: []\n", "more than one YAML document" },
        { "nested: " + new string('[', 30_000) + "\n", $"deeper than {YamlDocument.MaxDepth}" },
        { "bomb: &a [x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 9).Select(i => $"b{i}: &{(char)('a' + i)} [" + string.Join(", ", Enumerable.Repeat($"*{(char)('a' + i - 1)}", 8)) + "]\n")), "alias" },
    };

    [Theory]
    [MemberData(nameof(HostileTails))]
    public async Task A_file_of_a_hostile_shape_is_rejected_at_its_line_and_appends_nothing(string tail, string message)
    {
        var ledger = new Fresh(postgres);
        await ledger.InitializeAsync();
        await using var _ = ledger;
        var root = LedgerDatabase.CopySample();
        var file = Path.Combine(root, "events", "sample-talks", "02-after.yaml");
        var text = await File.ReadAllTextAsync(file, _ct);
        await File.WriteAllTextAsync(file, text + tail, _ct);
        var tailLine = text.Count(c => c == '\n') + 1;

        var report = await ledger.ImportAsync(root);

        var rejected = Assert.Single(report.Files, f => f.Outcome == FileOutcome.Rejected);
        Assert.Equal(Path.Combine("events", "sample-talks", "02-after.yaml"), rejected.File);
        var error = Assert.Single(rejected.Errors);
        Assert.Equal("(syntax)", error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= tailLine, $"line {error.Line}, the tail starts at {tailLine}");
        await using var session = ledger.Store.QuerySession();
        var keys = await session.Query<ClaimRecord>().Select(r => r.DevelopmentKey).ToListAsync(_ct);
        Assert.DoesNotContain("pow-exchange-300", keys);
        Assert.Contains("round-1", keys);
    }
}
