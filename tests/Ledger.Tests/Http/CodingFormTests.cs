using Ledger.Import;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Http;

/// <summary>
/// The test server with the real corpus (seeds/ and events/) imported as well, except the one development the coding
/// form test codes afresh from its article: the 6 May prisoner exchange the Kyiv Independent reports.
/// </summary>
public sealed class CorpusServerFixture(PostgresFixture postgres) : LedgerServerFixture(postgres)
{
    public const string CorpusNegotiation = "ru-ua-istanbul-2025";
    public const string LeftOutKey = "pow-exchange-2025-05-06";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var ct = TestContext.Current.CancellationToken;
        var root = Repository.Root;
        var copy = Path.Combine(Path.GetTempPath(), "ledger-corpus-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "events"), "*.yaml", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy, "events", Path.GetRelativePath(Path.Combine(root, "events"), file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await File.WriteAllTextAsync(target, WithoutDevelopment(await File.ReadAllTextAsync(file, ct), LeftOutKey), ct);
            }

            var report = await new Importer(Store, "test-setup").ImportAsync(Path.Combine(root, "seeds"), Path.Combine(copy, "events"), copy, ct: ct);
            Assert.True(report.Succeeded, string.Join("; ", report.Files.SelectMany(f => f.Errors)));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>An event file without one development: its lines from its "- key:" to the next development's.</summary>
    private static string WithoutDevelopment(string yaml, string key)
    {
        var lines = yaml.Split('\n').ToList();
        var from = lines.FindIndex(l => l.TrimEnd() == $"  - key: {key}");
        if (from < 0)
        {
            return yaml;
        }

        var to = lines.FindIndex(from + 1, l => l.StartsWith("  - key: ", StringComparison.Ordinal));
        lines.RemoveRange(from, (to < 0 ? lines.Count : to) - from);
        return string.Join('\n', lines);
    }
}

/// <summary>
/// The coding page in headless Chromium (as <see cref="PageTests"/>): a real selection over a corpus article prefills the
/// form, the key is asked for once per tab (and again after the server refuses it), the submission appends a claim
/// with the exact quote and offsets, the stream marks it, and a bad field is shown next to its field.
/// Leaves a screenshot in TestResults/coding-form.png (LEDGER_SCREENSHOT names another path, e.g. docs/coding-form.png).
/// </summary>
public sealed class CodingFormTests(CorpusServerFixture server) : IClassFixture<CorpusServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_selection_prefills_the_form_and_the_submitted_claim_is_appended_and_marked_live()
    {
        Browser.SkipWithoutChromium();
        var screenshot = Browser.Screenshot("coding-form.png", "LEDGER_SCREENSHOT");
        var before = await server.EventCountAsync();

        await Browser.RunScriptAsync(
            "coding-form-test.mjs",
            [server.BaseAddress.ToString().TrimEnd('/'), screenshot],
            new Dictionary<string, string> { ["LEDGER_TEST_KEY"] = LedgerServerFixture.AliceKey },
            Ct);
        Assert.Equal(before + 1, await server.EventCountAsync());
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot was written");
    }

    [Fact]
    public async Task The_kinds_a_form_offers_are_the_kinds_the_api_accepts()
    {
        using var client = server.Client();
        var kinds = await (await client.GetAsync("/api/development-kinds", Ct)).JsonAsync(System.Net.HttpStatusCode.OK);

        var names = kinds.EnumerateArray().Select(k => k.GetProperty("name").GetString()!).ToList();
        Assert.Equal(Ledger.Domain.Developments.DevelopmentKinds.Names, names);
        var exchange = kinds.EnumerateArray().Single(k => k.GetProperty("name").GetString() == "exchange-completed");
        Assert.Contains("transfers", exchange.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task The_coding_page_is_served_at_a_source_address()
    {
        using var client = server.Client();
        var page = await client.GetAsync($"/sources/{CorpusServerFixture.CorpusNegotiation}/kyiv-independent-2025-05-16", Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("/web/source.js", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
