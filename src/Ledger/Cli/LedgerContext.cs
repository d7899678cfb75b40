using Ledger.Infrastructure;
using Ledger.Infrastructure.Postgres;
using JasperFx.Events.Daemon;
using Marten;

namespace Ledger.Cli;

/// <summary>What every command needs: the repository's folders and a store on the resolved PostgreSQL.</summary>
public static class LedgerContext
{
    /// <summary>The repository root (the folder holding Ledger.sln) or, outside a checkout, the current folder.</summary>
    public static string Root => LedgerConnection.FindRepositoryRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();

    public static async Task<DocumentStore> OpenStoreAsync(CancellationToken ct)
    {
        // Notices go to stderr so that `--format json` output stays clean on stdout.
        var connection = await LedgerConnection.ResolveAsync(null, Console.Error, ct);
        var schema = Environment.GetEnvironmentVariable("LEDGER_SCHEMA") ?? LedgerStore.DefaultSchema;
        return DocumentStore.For(options =>
        {
            options.ConfigureLedger(connection.ConnectionString, schema, partitioning: Partitioning.FromEnvironment());
            // Commands that read async projections run the daemon themselves (see Projections.CatchUpAsync). A
            // one-shot command hosts no daemon coordinator, which is all HotCold would elect, so it keeps Solo.
            options.Projections.AsyncMode = DaemonMode.Solo;
        });
    }
}
