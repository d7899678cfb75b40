using System.Text.Json;
using CsvHelper;
using Ledger.Cli;
using Ledger.Domain.Tracks;
using Ledger.Export;
using Ledger.Infrastructure;
using Ledger.Tests.Corpus;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Export;

/// <summary>The corpus exported for analysis: CSV, JSON Lines and Web Annotations, read back as their users read them.</summary>
public sealed class ExportFormatTests(IstanbulCorpus corpus) : IClassFixture<IstanbulCorpus>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Base = "http://127.0.0.1:5000";

    private async Task<ExportedLedger> LoadAsync(string? track = null, TimeAxes? axes = null)
    {
        await using var session = corpus.Store.QuerySession();
        return await ExportQueries.LoadAsync(session, IstanbulCorpus.Negotiation, track, axes ?? TimeAxes.Now, Ct);
    }

    private static async Task<string> WriteAsync(ExportedLedger ledger, ExportFormat format)
    {
        var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        await ClaimExports.WriteAsync(ledger, format, text, Base, Ct);
        return text.ToString();
    }

    [Fact]
    public async Task Csv_has_one_row_per_claim_and_its_quotes_read_back_exactly_at_their_offsets()
    {
        var ledger = await LoadAsync();
        var csv = await WriteAsync(ledger, ExportFormat.Csv);

        Assert.StartsWith("event_date,event_date_precision,event_date_latest,actor1,actor2,said_by,negotiation,track,sub_event_type,development_key,summary,counts,source,source_outlet,source_url,source_published,quote,quote_start,quote_end,claim_id,notes\r\n", csv, StringComparison.Ordinal);
        using var reader = CsvReader.FromText(csv);
        var rows = new List<Dictionary<string, string?>>();
        foreach (var row in reader)
        {
            rows.Add(row.ToDictionary().ToDictionary(f => f.Key, f => (string?)f.Value));
        }

        Assert.Equal(ledger.Claims.Count, rows.Count);
        Assert.Contains(rows, r => r["quote"]!.Contains(',', StringComparison.Ordinal) || r["quote"]!.Contains('"', StringComparison.Ordinal));
        foreach (var row in rows)
        {
            var text = ledger.Sources[row["source"]!].Text;
            var (start, end) = (int.Parse(row["quote_start"]!, System.Globalization.CultureInfo.InvariantCulture), int.Parse(row["quote_end"]!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(text[start..end], row["quote"]);
        }

        Assert.Contains(rows, r => r["event_date_precision"] == "month");
        Assert.Contains(rows, r => r["counts"] is { Length: > 0 } counts && counts.Contains("prisoners-of-war", StringComparison.Ordinal));
        Assert.Equal(ledger.Claims.Select(c => c.Id.ToString()).Order(), rows.Select(r => r["claim_id"]!).Order());
    }

    [Fact]
    public async Task Json_lines_hold_one_claim_per_line_with_its_development()
    {
        var ledger = await LoadAsync();
        var lines = (await WriteAsync(ledger, ExportFormat.Jsonl)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(ledger.Claims.Count, lines.Length);
        foreach (var line in lines)
        {
            using var claim = JsonDocument.Parse(line);
            Assert.Equal(claim.RootElement.GetProperty("claimId").GetGuid(), claim.RootElement.GetProperty("development").GetProperty("claim").GetProperty("claimId").GetGuid());
            Assert.Equal(claim.RootElement.GetProperty("subEventType").GetString(), claim.RootElement.GetProperty("development").GetProperty("$type").GetString());
        }
    }

    [Fact]
    public async Task The_time_axes_and_the_track_narrow_the_export()
    {
        var all = await LoadAsync();
        var track = all.Claims[0].TrackId;
        var oneTrack = await LoadAsync(track);
        var asOf = new DateOnly(2025, 6, 1);
        var early = await LoadAsync(axes: new TimeAxes(asOf, null));
        var known = await LoadAsync(axes: new TimeAxes(null, asOf));

        Assert.All(oneTrack.Claims, c => Assert.Equal(track, c.TrackId));
        Assert.InRange(oneTrack.Claims.Count, 1, all.Claims.Count - 1);
        Assert.InRange(early.Claims.Count, 1, all.Claims.Count - 1);
        Assert.All(early.Claims.Where(c => !c.Amends), c => Assert.True(c.OccurredBy <= asOf));
        Assert.InRange(known.Claims.Count, 1, all.Claims.Count - 1);
        Assert.All(known.Claims, c => Assert.True(c.Published <= asOf));
    }

    [Fact]
    public async Task An_unknown_track_is_refused_by_name()
    {
        var e = await Assert.ThrowsAsync<Ledger.Tracks.UnknownTrackException>(() => LoadAsync("no-such-track"));
        Assert.Contains("No track 'no-such-track'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_ld_expands_with_a_json_ld_processor_into_web_annotations_linked_by_prov()
    {
        var scripts = Path.Combine(Repository.Root, "tests", "Ledger.Tests", "Export", "jsonld");
        if (!OnPath("node"))
        {
            Assert.Skip("node is not installed (apt-get install nodejs npm, as .ci/run does); expanding the JSON-LD export needs jsonld.js.");
        }

        if (!Directory.Exists(Path.Combine(scripts, "node_modules", "jsonld")))
        {
            var install = await ChildProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], scripts, null, TimeSpan.FromMinutes(2), ct: Ct);
            Assert.True(install.ExitCode == 0, $"npm ci failed: {install.Output}");
        }

        var ledger = await LoadAsync();
        var document = await WriteAsync(ledger, ExportFormat.Jsonld);
        var run = await ChildProcess.RunAsync("node", ["expand.mjs"], scripts, null, TimeSpan.FromMinutes(2), stdin: document, ct: Ct);
        Assert.True(run.ExitCode == 0, run.Output);

        using var expanded = JsonDocument.Parse(run.Stdout);
        const string oa = "http://www.w3.org/ns/oa#";
        const string prov = "http://www.w3.org/ns/prov#";
        var collection = Assert.Single(expanded.RootElement.EnumerateArray());
        Assert.Equal("http://www.w3.org/ns/activitystreams#OrderedCollection", collection.GetProperty("@type")[0].GetString());
        var annotations = collection.GetProperty("http://www.w3.org/ns/activitystreams#first")[0]
            .GetProperty("http://www.w3.org/ns/activitystreams#items")[0].GetProperty("@list").EnumerateArray().ToList();
        Assert.Equal(ledger.Claims.Count, annotations.Count);
        var byId = ledger.Claims.ToDictionary(c => $"{Base}/api/events/{c.Id}");
        foreach (var annotation in annotations)
        {
            var claim = byId[annotation.GetProperty("@id").GetString()!];
            var quote = claim.Development.Claim.Provenance.Quote;
            Assert.Equal(oa + "Annotation", annotation.GetProperty("@type")[0].GetString());
            Assert.Equal([oa + "describing", oa + "tagging"], annotation.GetProperty(oa + "motivatedBy").EnumerateArray().Select(m => m.GetProperty("@id").GetString()));
            var target = annotation.GetProperty(oa + "hasTarget")[0];
            var source = target.GetProperty(oa + "hasSource")[0].GetProperty("@id").GetString();
            Assert.Equal($"{Base}/api/sources/{claim.SourceId}", source);
            var selectors = target.GetProperty(oa + "hasSelector").EnumerateArray().ToDictionary(s => s.GetProperty("@type")[0].GetString()!);
            Assert.Equal(quote.Exact, selectors[oa + "TextQuoteSelector"].GetProperty(oa + "exact")[0].GetProperty("@value").GetString());
            Assert.Equal(quote.Start, selectors[oa + "TextPositionSelector"].GetProperty(oa + "start")[0].GetProperty("@value").GetInt32());
            Assert.Equal(quote.End, selectors[oa + "TextPositionSelector"].GetProperty(oa + "end")[0].GetProperty("@value").GetInt32());
            Assert.Equal(source, annotation.GetProperty(prov + "wasQuotedFrom")[0].GetProperty("@id").GetString());
            var development = annotation.GetProperty(oa + "hasBody").EnumerateArray().Single(b => b.TryGetProperty(prov + "wasDerivedFrom", out _));
            Assert.Equal(prov + "Entity", development.GetProperty("@type")[0].GetString());
            Assert.Equal(annotation.GetProperty("@id").GetString(), development.GetProperty(prov + "wasDerivedFrom")[0].GetProperty("@id").GetString());
            Assert.EndsWith("#" + claim.DevelopmentKey, development.GetProperty("@id").GetString(), StringComparison.Ordinal);
        }

        Assert.Contains(annotations, a => a.GetProperty(oa + "hasTarget")[0].GetProperty(oa + "hasSelector").EnumerateArray()
            .Any(s => s.TryGetProperty(oa + "prefix", out _) || s.TryGetProperty(oa + "suffix", out _)));
    }

    public static TheoryData<string[], string> BadArguments => new()
    {
        { ["export", "--format", "xlsx"], "--format: 'xlsx' is not an export format; use one of: csv, jsonl, jsonld" },
        { ["export", "--format", "csv", "--as-of", "June"], "--as-of: 'June' is not a date (YYYY-MM-DD)" },
        { ["export", "--format", "csv", "--known-on", "2025-13-01"], "--known-on: '2025-13-01' is not a date (YYYY-MM-DD)" },
        { ["export"], "export: give either --events DIR (event files) or --format csv|jsonl|jsonld" },
        { ["export", "--events", "out", "--format", "csv"], "export: give either --events DIR (event files) or --format csv|jsonl|jsonld" },
        { ["export", "--events", "out", "--track", "bodies"], "--track, --as-of and --known-on apply to --format only" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Bad_arguments_are_refused_with_one_clear_line(string[] args, string message)
    {
        var parsed = LedgerCli.Build().Parse(args);

        var error = Assert.Single(parsed.Errors);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, program)));
}
