using Ledger.Audit;
using Ledger.Import;
using Ledger.Tests.Infrastructure;
using Marten;

namespace Ledger.Tests.Store;

public class ImportTests(PostgresFixture postgres) : IClassFixture<SampleLedger>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private sealed class Fresh(PostgresFixture postgres) : LedgerDatabase(postgres);

    private async Task<Fresh> FreshLedgerAsync()
    {
        var ledger = new Fresh(postgres);
        await ledger.InitializeAsync();
        return ledger;
    }

    [Fact]
    public async Task The_sample_imports_every_file_and_records_each_report_once()
    {
        await using var ledger = await FreshLedgerAsync();
        var root = LedgerDatabase.CopySample();

        var first = await ledger.ImportAsync(root);

        Assert.True(first.Succeeded, string.Join("\n", first.Files.SelectMany(f => f.Errors)));
        Assert.All(first.Files, f => Assert.Equal(FileOutcome.Imported, f.Outcome));
        await using var session = ledger.Store.QuerySession();
        Assert.Equal(17, await session.Query<ClaimRecord>().CountAsync(_ct));
    }

    [Fact]
    public async Task Importing_the_same_files_again_appends_nothing()
    {
        await using var ledger = await FreshLedgerAsync();
        var root = LedgerDatabase.CopySample();
        await ledger.ImportAsync(root);
        var before = await ledger.EventCountAsync();

        var again = await ledger.ImportAsync(root);

        Assert.Equal(0, again.Appended);
        Assert.All(again.Files, f => Assert.Equal(FileOutcome.Unchanged, f.Outcome));
        Assert.Equal(before, await ledger.EventCountAsync());
    }

    public static TheoryData<string, string, string, string> BadEdits => new()
    {
        { "occurred: 2025-03-03", "occurred: 3 March", "occurred", "is not a date" },
        { "track: prisoners\n    kind: exchange-underway", "track: hostages\n    kind: exchange-underway", "track", "unknown track 'hostages'" },
        { "quote: The exchange of 300 prisoners began on 3 March.", "quote: The exchange of 3,000 prisoners began on 3 March.", "quote", "not found verbatim" },
        { "source: beta-daily-0304\n        quote: The exchange", "source: gamma-times\n        quote: The exchange", "source", "unknown source 'gamma-times'" },
        { "said-by-party: north", "said-by-party: west", "said-by-party", "unknown party 'west'" },
    };

    [Theory]
    [MemberData(nameof(BadEdits))]
    public async Task A_file_with_an_error_is_rejected_whole_and_the_error_names_file_line_and_field(string good, string bad, string field, string message)
    {
        await using var ledger = await FreshLedgerAsync();
        var root = LedgerDatabase.CopySample();
        var file = Path.Combine(root, "events", "sample-talks", "02-after.yaml");
        var text = await File.ReadAllTextAsync(file, _ct);
        Assert.Contains(good, text, StringComparison.Ordinal);
        var at = text.IndexOf(good, StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, string.Concat(text.AsSpan(0, at), bad, text.AsSpan(at + good.Length)), _ct);
        var badLine = text[..text.IndexOf(good, StringComparison.Ordinal)].Count(c => c == '\n') + 1 + good[..good.LastIndexOf(field + ":", StringComparison.Ordinal)].Count(c => c == '\n');

        var report = await ledger.ImportAsync(root);

        var rejected = Assert.Single(report.Files, f => f.Outcome == FileOutcome.Rejected);
        Assert.Equal(Path.Combine("events", "sample-talks", "02-after.yaml"), rejected.File);
        var error = Assert.Single(rejected.Errors);
        Assert.EndsWith(field, error.Field, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(badLine, error.Line);
        await using var session = ledger.Store.QuerySession();
        Assert.Equal(0, await session.Query<ClaimRecord>().CountAsync(r => r.SourceId == "beta-daily-0304" && r.DevelopmentKey != "round-1" && r.DevelopmentKey != "pow-500-for-500", _ct));
        Assert.Equal(0, await session.Query<ClaimRecord>().CountAsync(r => r.SourceId == "alpha-wire-0305", _ct));
    }

    [Fact]
    public async Task A_rejected_file_appends_nothing_even_when_its_other_developments_are_valid()
    {
        await using var ledger = await FreshLedgerAsync();
        var root = LedgerDatabase.CopySample();
        var file = Path.Combine(root, "events", "sample-talks", "02-after.yaml");
        await File.AppendAllTextAsync(file, "\n  - key: broken\n    track: prisoners\n    kind: proposal-made\n    occurred: 2025-03-03\n    proposed-by: north\n    text: x\n    reports:\n      - source: beta-daily-0304\n        quote: a sentence the article does not contain\n", _ct);

        var report = await ledger.ImportAsync(root);

        var rejected = Assert.Single(report.Files, f => f.Outcome == FileOutcome.Rejected);
        var lines = (await File.ReadAllLinesAsync(file, _ct)).Length;
        var error = Assert.Single(rejected.Errors);
        Assert.EndsWith("quote", error.Field, StringComparison.Ordinal);
        Assert.Equal(lines, error.Line);
        await using var session = ledger.Store.QuerySession();
        var keys = await session.Query<ClaimRecord>().Select(r => r.DevelopmentKey).ToListAsync(_ct);
        Assert.DoesNotContain("pow-exchange-300", keys);
        Assert.DoesNotContain("south-delegation-head", keys);
        Assert.Contains("round-1", keys);
    }

    [Fact]
    public async Task A_source_whose_text_changed_after_registration_is_refused()
    {
        await using var ledger = await FreshLedgerAsync();
        var root = LedgerDatabase.CopySample();
        await ledger.ImportAsync(root);
        await File.AppendAllTextAsync(Path.Combine(root, "seeds", "alpha-wire-0302.txt"), "An added sentence.", _ct);

        var report = await ledger.ImportAsync(root);

        var rejected = Assert.Single(report.Files, f => f.Outcome == FileOutcome.Rejected);
        Assert.Contains("registered with different text", rejected.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_importers_racing_on_the_same_files_record_each_claim_once_and_both_succeed()
    {
        await using var ledger = await FreshLedgerAsync();
        var root = LedgerDatabase.CopySample();
        await new Importer(ledger.Store).ImportAsync(Path.Combine(root, "seeds"), Path.Combine(root, "none"), root, ct: _ct);

        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => ledger.ImportAsync(root), _ct)));

        Assert.All(reports, r => Assert.True(r.Succeeded, string.Join("\n", r.Files.SelectMany(f => f.Errors))));
        await using var session = ledger.Store.QuerySession();
        Assert.Equal(17, await session.Query<ClaimRecord>().CountAsync(_ct));
        Assert.Equal(17, reports.Sum(r => r.Files.Where(f => f.File.EndsWith(".yaml", StringComparison.Ordinal) && !f.File.EndsWith("negotiation.yaml", StringComparison.Ordinal)).Sum(f => f.Appended)));
    }

    [Fact]
    public async Task The_store_itself_refuses_a_second_event_for_a_recorded_claim()
    {
        var ledger = await FreshLedgerAsync();
        await using var _ = ledger;
        var root = LedgerDatabase.CopySample();
        await ledger.ImportAsync(root);
        await using var session = ledger.Store.LightweightSession();
        var stream = Ledger.Infrastructure.StreamKeys.Track("sample-talks", "ceasefire");
        var claims = await Ledger.Tracks.TrackQueries.ClaimsAsync(session, "sample-talks", "ceasefire", Ledger.Domain.Tracks.TimeAxes.Now, _ct);

        // Bypass the writer's check: append the same claim again directly.
        session.Events.Append(stream, claims[0]);

        await Assert.ThrowsAsync<JasperFx.DocumentAlreadyExistsException>(() => session.SaveChangesAsync(_ct));
        await using var check = ledger.Store.QuerySession();
        Assert.Equal(claims.Count, (await check.Events.FetchStreamAsync(stream, token: _ct)).Count);
    }

    [Fact]
    public async Task A_report_repeated_by_a_later_file_of_the_same_batch_is_recorded_once()
    {
        await using var ledger = await FreshLedgerAsync();
        var root = LedgerDatabase.CopySample();
        var folder = Path.Combine(root, "events", "sample-talks");
        var after = await File.ReadAllTextAsync(Path.Combine(folder, "02-after.yaml"), _ct);
        var repeated = after[..after.IndexOf("  - key: north-ceasefire-position-0303", StringComparison.Ordinal)];
        await File.WriteAllTextAsync(Path.Combine(folder, "03-repeat.yaml"), repeated, _ct);

        var report = await ledger.ImportAsync(root);

        Assert.True(report.Succeeded, string.Join("\n", report.Files.SelectMany(f => f.Errors)));
        var repeat = Assert.Single(report.Files, f => f.File.EndsWith("03-repeat.yaml", StringComparison.Ordinal));
        Assert.Equal((FileOutcome.Unchanged, 0, 1), (repeat.Outcome, repeat.Appended, repeat.AlreadyRecorded));
        await using var session = ledger.Store.QuerySession();
        Assert.Equal(17, await session.Query<ClaimRecord>().CountAsync(_ct));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    public async Task Batch_size_changes_nothing_recorded_or_reported(int filesPerTransaction)
    {
        // One file per transaction: the correction in 02-after.yaml is decided after 01-first-round.yaml, which holds the
        // report it corrects, has committed.
        await using var ledger = await FreshLedgerAsync();
        var root = LedgerDatabase.CopySample();
        var importer = new Importer(ledger.Store, "test") { FilesPerTransaction = filesPerTransaction };

        var report = await importer.ImportAsync(Path.Combine(root, "seeds"), Path.Combine(root, "events"), root, ct: _ct);

        Assert.True(report.Succeeded, string.Join("\n", report.Files.SelectMany(f => f.Errors)));
        Assert.All(report.Files, f => Assert.Equal(FileOutcome.Imported, f.Outcome));
        var inOrder = Importer.SourceFilesIn(Path.Combine(root, "seeds")).Concat(Importer.EventFilesIn(Path.Combine(root, "events"))).Select(f => Path.GetRelativePath(root, f));
        Assert.Equal(inOrder, report.Files.Select(f => f.File));
        await using var session = ledger.Store.QuerySession();
        Assert.Equal(17, await session.Query<ClaimRecord>().CountAsync(_ct));
    }

    [Fact]
    public async Task Cancelling_stops_the_commits()
    {
        await using var ledger = await FreshLedgerAsync();
        var root = LedgerDatabase.CopySample();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        var importer = new Importer(ledger.Store, "test") { FilesPerTransaction = 1 };

        // Cancelled as the first source batch is reported: nothing after it commits.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => importer.ImportAsync(
            Path.Combine(root, "seeds"), Path.Combine(root, "events"), root, _ => cancel.Cancel(), cancel.Token));

        Assert.Equal(1, await ledger.EventCountAsync());
    }
}
