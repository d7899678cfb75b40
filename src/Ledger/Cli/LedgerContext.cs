using Ledger.Infrastructure;
using Ledger.Infrastructure.Postgres;
using JasperFx.Events.Daemon;
using Marten;
using Npgsql;

namespace Ledger.Cli;

/// <summary>What every command needs: the repository's folders and a store on the resolved PostgreSQL.</summary>
public static class LedgerContext
{
    /// <summary>The repository root (the folder holding Ledger.sln) or, outside a checkout, the current folder.</summary>
    public static string Root => LedgerConnection.FindRepositoryRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();

    public static async Task<DocumentStore> OpenStoreAsync(CancellationToken ct)
    {
        var connection = await ConnectionAsync(ct);
        var schema = Environment.GetEnvironmentVariable("LEDGER_SCHEMA") ?? LedgerStore.DefaultSchema;
        return DocumentStore.For(options =>
        {
            options.ConfigureLedger(connection.ConnectionString, schema, partitioning: Partitioning.FromEnvironment());
            // Commands that read async projections run the daemon themselves (see Projections.CatchUpAsync). A
            // one-shot command hosts no daemon coordinator, which is all HotCold would elect, so it keeps Solo.
            options.Projections.AsyncMode = DaemonMode.Solo;
        });
    }

    /// <summary>
    /// The resolved connection, once PostgreSQL has answered on it. One connection is opened first, without retries,
    /// so that a server that is down (a database container still starting) is reported at once, naming the server
    /// and where its address came from, instead of after the store's retries inside the first query.
    /// </summary>
    /// <exception cref="DatabaseUnavailableException">The server does not answer or refuses the connection.</exception>
    public static async Task<ResolvedConnection> ConnectionAsync(CancellationToken ct)
    {
        // Notices go to stderr so that `--format json` output stays clean on stdout.
        var connection = await LedgerConnection.ResolveAsync(null, Console.Error, ct);
        var builder = new NpgsqlConnectionStringBuilder(connection.ConnectionString) { Pooling = false };
        try
        {
            await using var probe = new NpgsqlConnection(builder.ConnectionString);
            await probe.OpenAsync(ct);
        }
        catch (NpgsqlException e)
        {
            var reason = e is PostgresException refused ? refused.MessageText : (e.InnerException ?? e).Message;
            var hint = connection.Description.StartsWith(LedgerConnection.EnvironmentVariable, StringComparison.Ordinal)
                ? $" Is it running? Start it (e.g. `docker compose up -d`), or fix or unset {LedgerConnection.EnvironmentVariable}."
                : "";
            throw new DatabaseUnavailableException(
                $"PostgreSQL at {builder.Host}:{builder.Port} (from the {connection.Description}) does not answer: {reason.TrimEnd('.')}.{hint}", e);
        }

        return connection;
    }
}
