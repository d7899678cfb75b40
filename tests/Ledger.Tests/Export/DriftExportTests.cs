using Ledger.Export;
using Ledger.Import;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Export;

/// <summary>Claims the store holds that no file has: import says so plainly, and the export writes them out.</summary>
public sealed class DriftExportTests(PostgresFixture postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Fresh(PostgresFixture postgres) : LedgerDatabase(postgres);

    [Fact]
    public async Task Import_names_the_claims_no_file_has_and_the_export_that_writes_them_out()
    {
        await using var ledger = new Fresh(postgres);
        await ledger.InitializeAsync();
        var root = LedgerDatabase.CopySample();
        Assert.True((await ledger.ImportAsync(root)).Succeeded);
        var removed = Path.Combine(root, "events", "sample-talks", "02-after.yaml");
        File.Delete(removed);

        var again = await ledger.ImportAsync(root);
        var notice = ImportCommand.DriftNotice(again.Drift, "events");

        Assert.NotEmpty(again.Drift);
        Assert.StartsWith($"the store holds {again.Drift.Count} claims that no file in events/ has", notice, StringComparison.Ordinal);
        Assert.All(again.Drift, d => Assert.Contains(d.ClaimId.ToString(), notice, StringComparison.Ordinal));
        Assert.Contains("`ledger export --events DIR` writes them out", notice, StringComparison.Ordinal);

        var exported = Path.Combine(root, "exported");
        var stale = Path.Combine(exported, "sample-talks", "developments-009.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        await File.WriteAllTextAsync(stale, "negotiation: sample-talks\ndevelopments: []\n", Ct);
        await ExportCommand.WriteEventFilesAsync(ledger.Store, null, exported, null, Ct);
        Assert.False(File.Exists(stale), "a file of an earlier export is not left to be imported with this one");
        var fromExport = await new Importer(ledger.Store, "test").ImportAsync(Path.Combine(root, "seeds"), exported, root, ct: Ct);

        Assert.True(fromExport.Succeeded, string.Join("\n", fromExport.Files.SelectMany(f => f.Errors)));
        Assert.Empty(fromExport.Drift);
        Assert.Equal(0, fromExport.Appended);
    }

    [Fact]
    public void One_claim_is_named_in_the_singular()
    {
        var drifted = new Ledger.Recording.DriftedReport(Guid.NewGuid(), "talks", "prisoners", "exchange-1", "wire-0303", "api:alice");

        var notice = ImportCommand.DriftNotice([drifted], "events/");

        Assert.StartsWith("the store holds 1 claim that no file in events/ has", notice, StringComparison.Ordinal);
        Assert.Contains($"{drifted.ClaimId}  talks/prisoners  'exchange-1' from 'wire-0303', recorded by api:alice", notice, StringComparison.Ordinal);
    }
}
