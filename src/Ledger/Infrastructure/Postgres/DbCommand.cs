using System.CommandLine;
using System.Globalization;
using Ledger.Cli;

namespace Ledger.Infrastructure.Postgres;

/// <summary>
/// <c>ledger db status</c> and <c>ledger db stop</c>: the private PostgreSQL that commands start when
/// LEDGER_CONNECTION is not set keeps running between commands; these say where it is and stop it.
/// </summary>
public static class DbCommand
{
    public static Command Create()
    {
        var command = new Command(
            "db",
            "The private PostgreSQL that ledger runs when LEDGER_CONNECTION is not set (data in the repository's .ledger/, or LEDGER_HOME): whether it runs, and stopping it.");
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Stop());
        return command;
    }

    private static LocalPostgresCluster Cluster() => new(LedgerConnection.DefaultDataDirectory(Directory.GetCurrentDirectory()));

    private static Command Status()
    {
        var format = CommonOptions.Format();
        var command = new Command("status", "Whether the private PostgreSQL runs, its port, its data folder and the folder's size.") { format };
        command.SetAction(async (parse, ct) =>
        {
            var status = await Cluster().StatusAsync(ct);
            var removable = LedgerConnection.Removable(status.DataDirectory);
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                Console.WriteLine(Json.Serialize(new
                {
                    status.Exists,
                    status.Running,
                    Host = status.Running ? LocalPostgresCluster.Host : null,
                    status.Port,
                    status.DataDirectory,
                    status.Bytes,
                    InUse = UsedInstead() is null,
                }));
                return ExitCodes.Ok;
            }

            if (!status.Exists)
            {
                Console.WriteLine($"private PostgreSQL: none yet (it is created in {status.DataDirectory} by the first command run without {LedgerConnection.EnvironmentVariable})");
            }
            else
            {
                Console.WriteLine(status.Running
                    ? $"private PostgreSQL: running on {LocalPostgresCluster.Host}:{status.Port}"
                    : "private PostgreSQL: not running (the next command run without LEDGER_CONNECTION starts it)");
                Console.WriteLine($"data: {status.DataDirectory} ({Size(status.Bytes)})");
                Console.WriteLine(status.Running
                    ? $"stop it: ledger db stop; remove it: ledger db stop, then delete {removable}"
                    : $"remove it: delete {removable}");
            }

            if (UsedInstead() is { } other)
            {
                Console.WriteLine($"not in use: {other} is set, so commands use that server");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Stop()
    {
        var command = new Command("stop", "Stop the private PostgreSQL; its data stays, and the next command starts it again.");
        command.SetAction(async (_, ct) =>
        {
            var cluster = Cluster();
            var status = await cluster.StatusAsync(ct);
            if (!status.Running)
            {
                Console.WriteLine(status.Exists
                    ? $"The private PostgreSQL is not running (data in {status.DataDirectory})."
                    : $"There is no private PostgreSQL in {status.DataDirectory}.");
                return ExitCodes.Ok;
            }

            await cluster.StopAsync(ct);
            Console.WriteLine($"Stopped the private PostgreSQL on {LocalPostgresCluster.Host}:{status.Port}. Its data stays in {status.DataDirectory}; "
                + $"delete {LedgerConnection.Removable(status.DataDirectory)} to remove it.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string? UsedInstead() =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(LedgerConnection.EnvironmentVariable)) ? null : LedgerConnection.EnvironmentVariable;

    private static string Size(long? bytes) => bytes switch
    {
        null => "size unknown",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.0} GB"),
    };
}
