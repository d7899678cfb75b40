using Ledger.Audit;
using Ledger.Domain.Developments;
using Ledger.Domain.Tracks;
using Ledger.Import;
using Ledger.Recording;
using Ledger.Tests.Infrastructure;
using Ledger.Tracks;
using Marten;

namespace Ledger.Tests.Store;

/// <summary>Re-coding a report in its file, against the store: a revision on the record, never a silent keep or change.</summary>
public class RevisionTests(PostgresFixture postgres) : IClassFixture<SampleLedger>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private sealed class Fresh(PostgresFixture postgres) : LedgerDatabase(postgres);

    private const string Original = "      - { to: north, count: 300 }";
    private const string Edited = "      - { to: north, count: 310 }";

    private async Task<(Fresh Ledger, string Root, string File)> ImportedSampleAsync()
    {
        var ledger = new Fresh(postgres);
        await ledger.InitializeAsync();
        var root = LedgerDatabase.CopySample();
        Assert.True((await ledger.ImportAsync(root)).Succeeded);
        return (ledger, root, Path.Combine(root, "events", "sample-talks", "02-after.yaml"));
    }

    private static async Task<int?> NorthCountAsync(IQuerySession session, DateTimeOffset? recordedAt, CancellationToken ct)
    {
        var status = await TrackQueries.StatusAsync(session, "sample-talks", "prisoners", TimeAxes.Now, recordedAt, ct);
        return status.Tracks.Single().Status.Exchanges
            .Where(e => e.DevelopmentKey == "pow-exchange-300")
            .SelectMany(e => e.Transfers)
            .Where(t => t.ToParty == "north")
            .Select(t => t.Count?.Value)
            .FirstOrDefault();
    }

    [Fact]
    public async Task Re_importing_an_edited_count_records_a_revision_that_audit_shows_and_recorded_at_before_it_does_not()
    {
        var (ledger, root, file) = await ImportedSampleAsync();
        await using var _ = ledger;
        var text = await File.ReadAllTextAsync(file, _ct);
        Assert.Contains(Original, text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, text.Replace(Original, Edited, StringComparison.Ordinal), _ct);
        var beforeRevision = DateTimeOffset.UtcNow;
        await Task.Delay(50, _ct);

        var report = await new Importer(ledger.Store, "import:test") { Reason = "the article says 310" }
            .ImportAsync(Path.Combine(root, "seeds"), Path.Combine(root, "events"), root, ct: _ct);

        Assert.True(report.Succeeded, string.Join("\n", report.Files.SelectMany(f => f.Errors)));
        var revision = Assert.Single(report.Files.SelectMany(f => f.Revised));
        Assert.Equal(0, report.Appended);
        await using var session = ledger.Store.QuerySession();
        Assert.Equal(310, await NorthCountAsync(session, null, _ct));
        Assert.Equal(300, await NorthCountAsync(session, beforeRevision, _ct));

        var audit = await AuditQueries.ClaimAsync(session, revision.ClaimId, _ct);
        var shown = Assert.Single(audit.Revisions);
        Assert.Equal(("import:test", "the article says 310"), (shown.RevisedBy, shown.Reason));
        var change = Assert.Single(shown.Changes);
        Assert.Contains("300", change.Before, StringComparison.Ordinal);
        Assert.Contains("310", change.After, StringComparison.Ordinal);

        // Importing the edited file again changes nothing more.
        var again = await ledger.ImportAsync(root);
        Assert.Equal((0, 0), (again.Appended, again.Revised));
    }

    [Fact]
    public async Task In_strict_mode_an_edited_report_is_refused_and_nothing_changes()
    {
        var (ledger, root, file) = await ImportedSampleAsync();
        await using var _ = ledger;
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file, _ct)).Replace(Original, Edited, StringComparison.Ordinal), _ct);
        var events = await ledger.EventCountAsync();

        var report = await new Importer(ledger.Store, "import:test") { Strict = true }.ImportAsync(Path.Combine(root, "seeds"), Path.Combine(root, "events"), root, ct: _ct);

        var rejected = Assert.Single(report.Files, f => f.Outcome == FileOutcome.Rejected);
        Assert.Contains(rejected.Errors, e => e.Message.Contains("recorded with other content", StringComparison.Ordinal));
        Assert.Equal(events, await ledger.EventCountAsync());
    }

    [Fact]
    public async Task A_report_removed_from_its_file_is_drift_until_the_recorder_withdraws_it()
    {
        var (ledger, root, file) = await ImportedSampleAsync();
        await using var _ = ledger;
        var folder = Path.GetDirectoryName(file)!;
        var later = file;
        var moved = Path.Combine(root, "02-after.yaml.removed");
        File.Move(later, moved);

        var report = await ledger.ImportAsync(root);

        Assert.NotEmpty(report.Drift);
        await using (var query = ledger.Store.QuerySession())
        {
            // verify reads the files and says the same, without writing.
            Assert.Equal(report.Drift.Select(d => d.ClaimId), (await Drift.OfFolderAsync(query, Path.Combine(root, "events"), _ct)).Select(d => d.ClaimId));
        }

        var drifted = report.Drift[0];
        var (withdrawn, error) = await WithdrawCommand.WithdrawAsync(ledger.Store, drifted.ClaimId, "removed from its file", "carol", DateTimeOffset.UtcNow, _ct);
        Assert.Null(error);
        Assert.NotNull(withdrawn);
        await using var session = ledger.Store.QuerySession();
        Assert.Null(await session.LoadAsync<ClaimRecord>(drifted.ClaimId, _ct));
        var after = await ledger.ImportAsync(root);
        Assert.DoesNotContain(after.Drift, d => d.ClaimId == drifted.ClaimId);
        Assert.Equal(report.Drift.Count - 1, after.Drift.Count);
    }
}
