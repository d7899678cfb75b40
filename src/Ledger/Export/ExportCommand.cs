using System.CommandLine;
using System.Text;
using Ledger.Cli;
using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Ledger.Tracks;
using Marten;

namespace Ledger.Export;

public static class ExportCommand
{
    public static Command Create()
    {
        var events = new Option<DirectoryInfo?>("--events") { Description = "write the store back as event files (negotiation.yaml and developments) into this folder" };
        var seeds = new Option<DirectoryInfo?>("--seeds") { Description = "with --events: also write the sources the claims cite as seeds (text and metadata)" };
        var format = new Option<string?>("--format") { Description = "csv (one row per claim, ACLED-style columns), jsonl (one claim per line) or jsonld (W3C Web Annotations with PROV-O)" };
        var negotiation = CommonOptions.Negotiation();
        var track = CommonOptions.Track();
        var asOf = CommonOptions.Date("--as-of", "only developments that had occurred by this day");
        var knownOn = CommonOptions.Date("--known-on", "only reports published by this day");
        var output = new Option<FileInfo?>("--output", "-o") { Description = "file to write (default: standard output)" };
        var baseUrl = new Option<string>("--base-url")
        {
            Description = "where the ledger's API answers, for the identifiers of a jsonld export",
            DefaultValueFactory = _ => "http://localhost:5000",
        };
        var command = new Command("export", "Write the store out: as event files that import to the very same claims (--events), or as CSV, JSON Lines or JSON-LD for analysis (--format).")
        {
            events, seeds, format, negotiation, track, asOf, knownOn, output, baseUrl,
        };
        command.Validators.Add(result =>
        {
            var toEvents = result.GetValue(events) is not null;
            var formatText = result.GetValue(format);
            if (toEvents == formatText is not null)
            {
                result.AddError("export: give either --events DIR (event files) or --format csv|jsonl|jsonld");
            }
            else if (formatText is not null && !ClaimExports.TryParse(formatText, out _))
            {
                result.AddError($"--format: '{formatText}' is not an export format; use one of: {string.Join(", ", ClaimExports.FormatNames)}");
            }
            else if (toEvents && (result.GetValue(track) is not null || result.GetValue(asOf) is not null || result.GetValue(knownOn) is not null))
            {
                result.AddError("--events writes every claim of a negotiation, so that importing them gives the same ledger: --track, --as-of and --known-on apply to --format only");
            }
            else if (!toEvents && result.GetValue(seeds) is not null)
            {
                result.AddError("--seeds goes with --events");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await LedgerContext.OpenStoreAsync(ct);
            await Projections.CatchUpAsync(store, ct);
            if (parse.GetValue(events) is { } folder)
            {
                IReadOnlyList<(string Negotiation, int Claims, IReadOnlyList<string> Files)> written;
                try
                {
                    written = await WriteEventFilesAsync(store, parse.GetValue(negotiation), folder.FullName, parse.GetValue(seeds)?.FullName, ct);
                }
                catch (ExportException e)
                {
                    await Console.Error.WriteLineAsync($"ledger export: {e.Message}");
                    return 1;
                }

                foreach (var (negotiationId, claims, files) in written)
                {
                    Console.WriteLine($"{negotiationId}: {claims} claims in {files.Count} files under {Path.Combine(folder.FullName, negotiationId)}");
                }

                return 0;
            }

            if (!ClaimExports.TryParse(parse.GetValue(format), out var chosen))
            {
                return 2;
            }

            var named = await TrackQueries.NegotiationIdAsync(store, parse.GetValue(negotiation), ct);
            await using var session = store.QuerySessionFor(named);
            var ledger = await ExportQueries.LoadAsync(session, named, parse.GetValue(track), new TimeAxes(parse.GetValue(asOf), parse.GetValue(knownOn)), ct);
            if (parse.GetValue(output) is { } file)
            {
                await using var writer = new StreamWriter(file.FullName, append: false, new UTF8Encoding(false));
                await ClaimExports.WriteAsync(ledger, chosen, writer, parse.GetValue(baseUrl)!, ct);
                await Console.Error.WriteLineAsync($"{ledger.Claims.Count} claims written to {file.FullName}");
            }
            else
            {
                var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
                await using (stdout.ConfigureAwait(false))
                {
                    await ClaimExports.WriteAsync(ledger, chosen, stdout, parse.GetValue(baseUrl)!, ct);
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>Writes every negotiation (or the one named) as event files, and with <paramref name="seedsFolder"/> the sources they cite.</summary>
    public static async Task<IReadOnlyList<(string Negotiation, int Claims, IReadOnlyList<string> Files)>> WriteEventFilesAsync(
        IDocumentStore store, string? negotiationId, string eventsFolder, string? seedsFolder, CancellationToken ct)
    {
        var ids = negotiationId is not null ? [negotiationId] : (await TrackQueries.NegotiationsAsync(store, ct)).Select(n => n.Id).ToList();
        if (ids.Count == 0)
        {
            throw new NotFoundException("No negotiation is registered yet: nothing to export.");
        }

        var written = new List<(string, int, IReadOnlyList<string>)>();
        foreach (var id in ids)
        {
            await using var session = store.QuerySessionFor(id);
            var ledger = await ExportQueries.LoadAsync(session, id, null, TimeAxes.Now, ct);
            var files = EventFiles.Write(ledger, eventsFolder);
            if (seedsFolder is not null)
            {
                EventFiles.WriteSources(ledger.Sources.Values, seedsFolder);
            }

            written.Add((id, ledger.Claims.Count, files));
        }

        return written;
    }
}
