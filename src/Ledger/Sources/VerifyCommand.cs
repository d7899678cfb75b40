using System.CommandLine;
using Ledger.Cli;
using Ledger.Infrastructure;
using Spectre.Console;

namespace Ledger.Sources;

public static class VerifyCommand
{
    public static Command Create()
    {
        var seeds = CommonOptions.ExistingFolder("--seeds", "folder of source texts to compare the stored sources with; a source with no file there is checked from the store alone (default: the repository's seeds/)");
        var format = CommonOptions.Format();
        var events = CommonOptions.ExistingFolder("--events", "folder of event files to compare the stored reports with (default: the repository's events/)");
        var command = new Command("verify", "Check that every source is unchanged since registration and every quote is still found at its characters; sources with a file in the seeds folder are also compared with it, and reports the store holds that no events file has are listed.") { seeds, events, format };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await LedgerContext.OpenStoreAsync(ct);
            VerificationReport? report = null;
            foreach (var session in store.QuerySessionsInEveryDatabase())
            {
                await using (session)
                {
                    var checkedHere = await Verification.RunAsync(session, parse.GetValue(seeds)?.FullName ?? Path.Combine(LedgerContext.Root, "seeds"), ct) with
                    {
                        Drift = await Recording.Drift.OfFolderAsync(session, parse.GetValue(events)?.FullName ?? Path.Combine(LedgerContext.Root, "events"), ct),
                    };
                    report = report is null ? checkedHere : report.Plus(checkedHere);
                }
            }

            if (report is null)
            {
                throw new InvalidOperationException("The ledger has no database.");
            }
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                Console.WriteLine(Json.Serialize(report));
            }
            else
            {
                foreach (var problem in report.Problems)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]✗[/] {problem.SourceId}{(problem.ClaimId is null ? "" : $" claim {problem.ClaimId}")}: {problem.Problem}");
                }

                if (report.StoreOnlyNote is { } note)
                {
                    AnsiConsole.MarkupLineInterpolated($"[blue]ℹ[/] {note}.");
                }

                if (report.Drift.Count > 0)
                {
                    AnsiConsole.MarkupLineInterpolated($"[yellow]![/] drift: the store holds {report.Drift.Count} report(s) that no events file has (appended over HTTP, or removed from their file); withdraw one with 'ledger withdraw --claim ID --reason TEXT':");
                    foreach (var drifted in report.Drift.Take(20))
                    {
                        AnsiConsole.MarkupLineInterpolated($"  {drifted.ClaimId}  {drifted.NegotiationId}/{drifted.TrackId}  '{drifted.DevelopmentKey}' from '{drifted.SourceId}', recorded by {drifted.RecordedBy ?? "unknown"}");
                    }
                }

                if (report.Passed)
                {
                    AnsiConsole.MarkupLineInterpolated($"[green]✓ {report.SourcesChecked} sources unchanged ({report.SourcesComparedWithFile} compared with their file in {report.SeedsFolder}), {report.QuotesChecked} quotes found at their characters.[/]");
                }
                else
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]{report.Problems.Count} problem(s)[/] in {report.SourcesChecked} sources and {report.QuotesChecked} quotes.");
                }
            }

            return report.Passed ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }
}
