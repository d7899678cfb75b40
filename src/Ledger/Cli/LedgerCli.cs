using System.CommandLine;
using System.CommandLine.Invocation;
using System.Net.Sockets;
using Ledger.Audit;
using Ledger.Import;
using Ledger.Infrastructure.Postgres;
using Ledger.Sources;
using Ledger.Timeline;
using Ledger.Tracks;
using Npgsql;

namespace Ledger.Cli;

public static class LedgerCli
{
    /// <summary>Set to 1 to see the full exception behind an error, with its stack trace.</summary>
    public const string DebugVariable = "LEDGER_DEBUG";

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Ledger: an event-sourced ledger of negotiations. With no command: import the repository's seeds/ and events/, then show the status of every track. "
            + "Exit codes: 0 done, 1 a check failed, 2 bad input, 69 PostgreSQL unavailable, 70 internal error (LEDGER_DEBUG=1 shows it in full), 130 interrupted.")
        {
            ImportCommand.Create(),
            StatusCommand.Create(),
            ReportCommand.Create(),
            TimelineCommand.Create(),
            AuditCommand.Create(),
            SourcesCommand.Create(),
            AddSourceCommand.Create(),
            Drafting.DraftCommand.Create(),
            VerifyCommand.Create(),
            Infrastructure.RebuildCommand.Create(),
            Infrastructure.Http.ServeCommand.Create(),
            Subscriptions.WatchCommand.Create(),
            Subscriptions.WebhooksCommand.Create(),
            Recording.WithdrawCommand.Create(),
            DbCommand.Create(),
            Export.ExportCommand.Create(),
            Changes.DiffCommand.Create(),
        };
        root.SetAction(async (_, ct) =>
        {
            await using var store = await LedgerContext.OpenStoreAsync(ct);
            var report = await ImportCommand.RunAsync(store, null, null, OutputFormat.Table, ct);
            await StatusCommand.ShowAsync(store, OutputFormat.Table, ct);
            return report.Succeeded ? ExitCodes.Ok : ExitCodes.CheckFailed;
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

        var parse = Build().Parse(args);
        var command = CommandPath(parse);
        if (parse.Action is ParseErrorAction)
        {
            var errors = string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')).Distinct());
            await Console.Error.WriteLineAsync($"{command}: {errors} (see '{command} --help')");
            return ExitCodes.BadInput;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            var (code, message) = Explain(e);
            await Console.Error.WriteLineAsync($"{command}: {message}");
            if (Environment.GetEnvironmentVariable(DebugVariable) is "1" or "true")
            {
                await Console.Error.WriteLineAsync(e.ToString());
            }

            return code;
        }
    }

    /// <summary>The exit code for an exception that ended a command, and the line that tells the user what happened.</summary>
    public static (int ExitCode, string Message) Explain(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        switch (e)
        {
            case CommandLineException refused:
                return (refused.ExitCode, refused.Message);
            case NotFoundException or InvalidConnectionStringException:
                return (ExitCodes.BadInput, e.Message);
            case PostgresNotFoundException or LocalPostgresException or DatabaseUnavailableException:
                return (ExitCodes.Unavailable, e.Message);
            case OperationCanceledException:
                return (ExitCodes.Interrupted, "interrupted");
            case DirectoryNotFoundException or FileNotFoundException or UnauthorizedAccessException or IOException:
                return (ExitCodes.BadInput, e.Message);
        }

        // A server that goes away mid-command surfaces wrapped by Marten or Wolverine: what counts is the cause.
        for (var cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is NpgsqlException { InnerException: SocketException or TimeoutException or IOException } or NpgsqlException { IsTransient: true })
            {
                return (ExitCodes.Unavailable, $"PostgreSQL stopped answering: {Innermost(cause).Message}");
            }
        }

        var debug = Environment.GetEnvironmentVariable(DebugVariable) is "1" or "true";
        return (ExitCodes.Internal, $"internal error: {e.Message}{(debug ? "" : $" ({DebugVariable}=1 shows the full exception)")}");

        static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
    }

    /// <summary>"ledger", or "ledger webhooks resend": the command the user ran, to begin each error line with.</summary>
    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command is RootCommand ? "ledger" : result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
