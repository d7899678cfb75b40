using System.Net;
using System.Text;
using System.Text.Json;
using Ledger.Sources;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Http;

/// <summary>
/// Verify over a ledger whose sources came over HTTP: the store holds their text, so a seeds folder is only
/// something to compare with where it has a file for the source.
/// </summary>
public sealed class VerifyTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>, IDisposable
{
    private const string VerifyText = "HARBOUR, 12 March 2025. South said the ceasefire could wait for the next round.";

    private readonly List<string> _folders = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_source_registered_over_HTTP_verifies_from_its_stored_text_and_is_counted_as_checked_from_the_store()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        await (await alice.PostAsync("/api/sources", Sample.Json(Sample.Source("wire-verify", VerifyText, "2025-03-12")), Ct)).JsonAsync(HttpStatusCode.Created);
        await (await alice.PostAsync("/api/developments", Sample.Json(Sample.Position("south", "the ceasefire could wait for the next round", "2025-03-12", "wire-verify", key: "south-waits")), Ct))
            .JsonAsync(HttpStatusCode.Created);

        // A seeds folder like the repository's: files for other sources, and one for a source of this ledger.
        var seeds = SeedsFolder("ledger-verify-seeds-");
        await File.WriteAllTextAsync(Path.Combine(seeds, "wire-0303.txt"), Sample.WireText, new UTF8Encoding(false), Ct);

        await using var session = server.Store.QuerySession();
        var report = await Verification.RunAsync(session, seeds, Ct);

        Assert.True(report.Passed, string.Join("\n", report.Problems));
        Assert.Equal(3, report.SourcesChecked);
        Assert.True(report.QuotesChecked >= 1);
        Assert.Equal(seeds, report.SeedsFolder);
        Assert.Equal(1, report.SourcesComparedWithFile);
        Assert.Equal(["daily-0310", "wire-verify"], report.SourcesWithoutFile);
        Assert.Equal(2, report.SourcesCheckedFromStoreOnly);
        Assert.Equal($"2 sources have no file in {seeds}; checked from the store alone", report.StoreOnlyNote);

        // Machines see the same: `verify --format json` writes this.
        var json = JsonDocument.Parse(Ledger.Infrastructure.Json.Serialize(report)).RootElement;
        Assert.True(json.GetProperty("passed").GetBoolean());
        Assert.Equal(2, json.GetProperty("sourcesCheckedFromStoreOnly").GetInt32());
        Assert.Equal(["daily-0310", "wire-verify"], json.GetProperty("sourcesWithoutFile").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(report.StoreOnlyNote, json.GetProperty("storeOnlyNote").GetString());
        Assert.Equal(seeds, json.GetProperty("seedsFolder").GetString());
    }

    [Fact]
    public async Task A_seeds_file_that_differs_from_the_stored_text_is_a_problem_named_with_its_folder()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var appended = await alice.PostAsync("/api/developments", Sample.Json(Sample.Proposal(key: "exchange-verify")), Ct);
        Assert.True(appended.IsSuccessStatusCode, await appended.Content.ReadAsStringAsync(Ct));

        var elsewhere = SeedsFolder("ledger-verify-elsewhere-");
        var file = Path.Combine(elsewhere, "wire-0303.txt");
        await File.WriteAllTextAsync(file, Sample.WireText.Replace("100 prisoners", "1,000 prisoners", StringComparison.Ordinal), new UTF8Encoding(false), Ct);

        await using var session = server.Store.QuerySession();
        var report = await Verification.RunAsync(session, elsewhere, Ct);

        Assert.False(report.Passed);
        Assert.Contains(report.Problems, p => p.SourceId == "wire-0303" && p.ClaimId is null && p.Problem.Contains($"{file} has changed", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.SourceId == "wire-0303" && p.Problem.Contains("exchange-verify", StringComparison.Ordinal) && p.Problem.Contains(file, StringComparison.Ordinal));
        Assert.DoesNotContain(report.Problems, p => p.Problem.Contains("seeds/", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Problems, p => p.SourceId != "wire-0303");
        Assert.Equal(elsewhere, report.SeedsFolder);
        Assert.Contains("daily-0310", report.SourcesWithoutFile);
    }

    [Fact]
    public async Task A_seeds_folder_that_does_not_exist_is_said_so_and_every_source_is_checked_from_the_store()
    {
        var missing = Path.Combine(Path.GetTempPath(), "ledger-verify-missing-" + Guid.NewGuid().ToString("N")[..8]);

        await using var session = server.Store.QuerySession();
        var report = await Verification.RunAsync(session, missing, Ct);

        Assert.True(report.Passed, string.Join("\n", report.Problems));
        Assert.Equal(0, report.SourcesComparedWithFile);
        Assert.Equal(report.SourcesChecked, report.SourcesCheckedFromStoreOnly);
        Assert.Equal($"{report.SourcesChecked} sources have no file in {missing} (the folder does not exist); checked from the store alone", report.StoreOnlyNote);
    }

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A fresh folder holding a copy of the sample's seeds, whose sources this ledger does not have.</summary>
    private string SeedsFolder(string prefix)
    {
        var folder = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..8]);
        _folders.Add(folder);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Samples", "seeds")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }
}
