using System.CommandLine;
using Ledger.Audit;
using Ledger.Import;
using Ledger.Infrastructure.Postgres;
using Ledger.Sources;
using Ledger.Timeline;
using Ledger.Tracks;

namespace Ledger.Cli;

public static class LedgerCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Ledger: an event-sourced ledger of negotiations. With no command: import the repository's seeds/ and events/, then show the status of every track.")
        {
            ImportCommand.Create(),
            StatusCommand.Create(),
            ReportCommand.Create(),
            TimelineCommand.Create(),
            AuditCommand.Create(),
            SourcesCommand.Create(),
            VerifyCommand.Create(),
            Infrastructure.RebuildCommand.Create(),
            Infrastructure.Http.ServeCommand.Create(),
            Subscriptions.WatchCommand.Create(),
            Subscriptions.WebhooksCommand.Create(),
            Recording.WithdrawCommand.Create(),
            Changes.DiffCommand.Create(),
        };
        root.SetAction(async (_, ct) =>
        {
            await using var store = await LedgerContext.OpenStoreAsync(ct);
            var report = await ImportCommand.RunAsync(store, null, null, OutputFormat.Table, ct);
            await StatusCommand.ShowAsync(store, OutputFormat.Table, ct);
            return report.Succeeded ? 0 : 1;
        });
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        // Tables written to a pipe or file default to 80 columns; COLUMNS lets a caller ask for more.
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0)
        {
            Spectre.Console.AnsiConsole.Profile.Width = columns;
        }

        try
        {
            return await Build().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is NotFoundException or PostgresNotFoundException or LocalPostgresException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"ledger: {e.Message}");
            return 2;
        }
    }
}
