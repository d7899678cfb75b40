using System.CommandLine;
using System.Text.Json;
using Ledger.Bench;
using Ledger.Bench.Baselines;
using Ledger.Bench.Corpus;
using Ledger.Infrastructure.Postgres;
using Spectre.Console;

if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0)
{
    AnsiConsole.Profile.Width = columns;
}

var size = new Option<int>("--size") { Description = "developments (claims) in the synthetic corpus: 10000, 100000, 1000000", DefaultValueFactory = _ => 10_000 };
var seed = new Option<int>("--seed") { Description = "corpus seed", DefaultValueFactory = _ => 42 };
var iterations = new Option<int>("--iterations") { Description = "measured iterations per latency workload (after warm-up)", DefaultValueFactory = _ => 30 };
var only = new Option<string?>("--only") { Description = "comma-separated workloads, e.g. B1,B4 (the corpus is always loaded)" };
var load = new Option<string>("--load") { Description = "full: load the corpus through the importer and measure B1; fast: append through Marten in batches, B1 not measured", DefaultValueFactory = _ => "full" };
var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
var output = new Option<FileInfo?>("--output") { Description = "also write the results as JSON to this file" };
var schema = new Option<string>("--schema") { Description = "schema for the ledger under test (dropped and recreated); the baselines use <schema>_raw", DefaultValueFactory = _ => "bench" };
var keep = new Option<bool>("--keep-corpus") { Description = "keep the generated corpus folder" };

var root = new RootCommand(
    "Measures Ledger on a synthetic corpus of --size developments, each workload beside a raw PostgreSQL baseline measured in the same run "
    + "on the same server: B1 import through the full path (parse, validate, verify quotes, append) against binary COPY; "
    + "B2 appending one development over HTTP from 1 and 8 clients against a raw append; "
    + "B3 how soon an append reaches the timeline projection and a live /api/stream subscriber, against INSERT + NOTIFY; "
    + "B4 the status of one track as of a date, and how it grows with the track; B5 the status of every track of a negotiation; "
    + "B6 rebuilding every stored projection. Results print as a table (or JSON) with the machine and PostgreSQL used. "
    + "PostgreSQL: LEDGER_CONNECTION, else the private server `ledger` runs.")
{
    size, seed, iterations, only, load, format, output, schema, keep,
};
root.SetAction(async (parse, ct) =>
{
    var connection = await LedgerConnection.ResolveAsync(null, Console.Error, ct);
    // A folder of this run's own: two benches at once (from two checkouts) must not rewrite each other's corpus.
    var work = Path.Combine(Path.GetTempPath(), "ledger-bench", $"run-{Environment.ProcessId}");
    Directory.CreateDirectory(work);
    var options = new BenchOptions(
        parse.GetValue(size), parse.GetValue(seed), Math.Max(3, parse.GetValue(iterations)),
        (parse.GetValue(only) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToUpperInvariant()).ToHashSet(),
        parse.GetValue(load) == "fast", work);
    var ledgerSchema = parse.GetValue(schema)!;
    await using var db = new BenchDatabase(connection.ConnectionString, ledgerSchema, ledgerSchema + "_raw");
    var generator = new CorpusGenerator(options.Size, options.Seed);
    var workloads = new Workloads(db, options, generator);
    var started = DateTimeOffset.UtcNow;
    try
    {
        await workloads.RunAsync(ct);
    }
    finally
    {
        if (!parse.GetValue(keep))
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    var result = new
    {
        started,
        seconds = (DateTimeOffset.UtcNow - started).TotalSeconds,
        machine = new { Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, runtime = Environment.Version.ToString() },
        postgres = connection.Description,
        options = new { options.Size, options.Seed, options.Iterations, load = options.FastLoad ? "fast" : "full" },
        rows = workloads.Rows,
    };
    var json = JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    if (parse.GetValue(output) is { } file)
    {
        await File.WriteAllTextAsync(file.FullName, json, ct);
    }

    if (parse.GetValue(format) == "json")
    {
        Console.WriteLine(json);
        return 0;
    }

    var table = new Table().Border(TableBorder.Rounded)
        .Title($"[bold]Ledger bench[/] — {options.Size:N0} claims, seed {options.Seed}, {options.Iterations} iterations, {Environment.ProcessorCount} cores")
        .AddColumn("#").AddColumn("Workload").AddColumn("Ledger").AddColumn("Baseline (same run)").AddColumn(new TableColumn("Ratio").RightAligned())
        .AddColumn("Target").AddColumn("Met?");
    foreach (var row in workloads.Rows)
    {
        var met = row.Met switch
        {
            true => "[green]yes[/]",
            false => "[red]no[/]",
            null => "[grey]—[/]",
        };
        table.AddRow(Markup.Escape(row.Id), Markup.Escape(row.Workload), Markup.Escape(row.Ledger), Markup.Escape(row.Baseline), Markup.Escape(row.Ratio), Markup.Escape(row.Target), met);
    }

    AnsiConsole.Write(table);
    AnsiConsole.MarkupLine($"[grey]PostgreSQL: {Markup.Escape(connection.Description)}; {result.seconds:N0} s in all.[/]");
    return 0;
});

return await root.Parse(args).InvokeAsync();
