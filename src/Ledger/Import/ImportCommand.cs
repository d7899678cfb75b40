using System.CommandLine;
using Ledger.Cli;
using Ledger.Infrastructure;
using Marten;
using Spectre.Console;

namespace Ledger.Import;

public static class ImportCommand
{
    public static Command Create()
    {
        var seeds = CommonOptions.ExistingFolder("--seeds", "folder of source texts and metadata (default: the repository's seeds/)");
        var events = CommonOptions.ExistingFolder("--events", "folder of event files (default: the repository's events/)");
        var strict = new Option<bool>("--strict") { Description = "refuse a report coded differently from its recorded version, instead of recording a revision" };
        var reason = new Option<string?>("--reason") { Description = "why reports are re-coded, kept with each revision this import records" };
        var format = CommonOptions.Format();
        var command = new Command("import", "Register the sources and append the developments of the event files. Idempotent; atomic per file; a re-coded report is recorded as a revision.")
        {
            seeds, events, strict, reason, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await LedgerContext.OpenStoreAsync(ct);
            var report = await RunAsync(store, parse.GetValue(seeds)?.FullName, parse.GetValue(events)?.FullName, parse.GetValue(format), ct, parse.GetValue(strict), parse.GetValue(reason));
            return report.Succeeded ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    public static async Task<ImportReport> RunAsync(IDocumentStore store, string? seedsFolder, string? eventsFolder, OutputFormat format, CancellationToken ct, bool strict = false, string? reason = null)
    {
        var root = LedgerContext.Root;
        seedsFolder ??= DefaultFolder(root, "seeds");
        eventsFolder ??= DefaultFolder(root, "events");
        var importer = new Importer(store, writer: $"import:{Environment.UserName}") { Strict = strict, Reason = reason };
        var total = Importer.SourceFilesIn(seedsFolder).Count + Importer.EventFilesIn(eventsFolder).Count;

        ImportReport report;
        if (format == OutputFormat.Json || Console.IsOutputRedirected)
        {
            report = await importer.ImportAsync(seedsFolder, eventsFolder, root, ct: ct);
        }
        else
        {
            report = await AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask("Importing", maxValue: Math.Max(total, 1));
                    return await importer.ImportAsync(seedsFolder, eventsFolder, root, file =>
                    {
                        task.Description = Markup.Escape(file.File);
                        task.Increment(1);
                    }, ct);
                });
        }

        // The timeline is an async projection: bring it up to date before the command returns.
        await Projections.CatchUpAsync(store, ct);

        Render(report, format, Path.GetRelativePath(root, eventsFolder));
        return report;
    }

    /// <summary>The repository's folder; outside a checkout there is none, and importing nothing is not a success.</summary>
    private static string DefaultFolder(string root, string name)
    {
        var folder = Path.Combine(root, name);
        return Directory.Exists(folder)
            ? folder
            : throw new CommandLineException($"there is no {name}/ folder in {root} (not inside a Ledger checkout?): name one with --{name} DIR");
    }

    private static void Render(ImportReport report, OutputFormat format, string eventsFolder)
    {
        if (format == OutputFormat.Json)
        {
            Console.WriteLine(Json.Serialize(report));
            return;
        }

        // Files are listed under their folder, so that the longest names still fit beside their counts at 80 columns.
        var table = new Table().Border(TableBorder.SimpleHeavy).Title("[bold]Import[/]").Collapse()
            .AddColumn(new TableColumn("File").NoWrap().PadLeft(0)).AddColumn(new TableColumn("Outcome").NoWrap())
            .AddColumn(new TableColumn("Appended").RightAligned()).AddColumn(new TableColumn("Already\nrecorded").RightAligned());
        string? folder = null;
        foreach (var file in report.Files)
        {
            var path = file.File.Replace('\\', '/');
            var slash = path.LastIndexOf('/');
            var (fileFolder, name) = slash < 0 ? ("", path) : (path[..(slash + 1)], path[(slash + 1)..]);
            if (fileFolder != folder && fileFolder.Length > 0)
            {
                table.AddRow($"[bold]{Markup.Escape(fileFolder)}[/]", "", "", "");
            }

            folder = fileFolder;
            var outcome = file.Outcome switch
            {
                FileOutcome.Imported => "[green]imported[/]",
                FileOutcome.Unchanged => "[grey]unchanged[/]",
                _ => "[red]rejected[/]",
            };
            table.AddRow(Markup.Escape((fileFolder.Length > 0 ? "  " : "") + name), outcome, file.Appended.ToString(), file.AlreadyRecorded.ToString());
        }

        AnsiConsole.Write(table);
        foreach (var error in report.Files.SelectMany(f => f.Errors))
        {
            Console.Error.WriteLine($"error: {error}");
        }

        foreach (var file in report.Files.Where(f => f.Revised.Count > 0))
        {
            foreach (var revision in file.Revised)
            {
                Console.WriteLine($"revised: {file.File}: '{revision.After.Claim.DevelopmentKey}' from '{revision.After.Claim.Provenance.SourceId}' (claim {revision.ClaimId}): {string.Join("; ", revision.Changes)}");
            }
        }

        if (report.Drift.Count > 0)
        {
            Console.WriteLine(DriftNotice(report.Drift, eventsFolder));
        }

        var rejected = report.Files.Count(f => f.Outcome == FileOutcome.Rejected);
        AnsiConsole.MarkupLine(rejected == 0
            ? $"[green]{report.Appended} events appended[/], {report.Revised} revised, {report.AlreadyRecorded} already recorded."
            : $"[red]{rejected} file(s) rejected: nothing of them was appended.[/] {report.Appended} events appended from the other files.");
    }

    /// <summary>
    /// Says plainly that the store holds claims no file has: the store is the ledger's truth, so they stay, and the way
    /// to have them in files is to export them; the way to be rid of one is to withdraw it.
    /// </summary>
    public static string DriftNotice(IReadOnlyList<Recording.DriftedReport> drift, string eventsFolder, int listed = 20)
    {
        var text = new System.Text.StringBuilder();
        var folder = eventsFolder.TrimEnd('/', Path.DirectorySeparatorChar) + "/";
        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"the store holds {drift.Count} {(drift.Count == 1 ? "claim" : "claims")} that no file in {folder} has (appended over HTTP, or removed from their file):");
        foreach (var drifted in drift.Take(listed))
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  {drifted.ClaimId}  {drifted.NegotiationId}/{drifted.TrackId}  '{drifted.DevelopmentKey}' from '{drifted.SourceId}', recorded by {drifted.RecordedBy ?? "unknown"}");
        }

        if (drift.Count > listed)
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  and {drift.Count - listed} more (--format json lists them all)");
        }

        text.Append("`ledger export --events DIR` writes them out as event files; `ledger withdraw --claim ID --reason TEXT` withdraws one coded by mistake.");
        return text.ToString();
    }
}
