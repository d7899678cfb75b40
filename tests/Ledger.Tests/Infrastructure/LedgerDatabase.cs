using Ledger.Import;
using Ledger.Infrastructure;
using Marten;

namespace Ledger.Tests.Infrastructure;

/// <summary>
/// A ledger in a fresh schema of the shared test server, configured exactly as the application configures it.
/// Use as a class fixture: one schema per test class.
/// </summary>
public class LedgerDatabase(PostgresFixture postgres) : IAsyncLifetime
{
    public DocumentStore Store { get; private set; } = null!;

    public string Schema { get; private set; } = "";

    public virtual async ValueTask InitializeAsync()
    {
        Schema = postgres.NewSchemaName(GetType().Name);
        Store = DocumentStore.For(options =>
        {
            options.ConfigureLedger(postgres.ConnectionString, Schema);
            // As the command line: tests that need the timeline catch the daemon up themselves; nothing is elected.
            options.Projections.AsyncMode = JasperFx.Events.Daemon.DaemonMode.Solo;
        });
        await Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public async Task<long> EventCountAsync()
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }

    /// <summary>A private copy of the sample's seeds/ and events/, so a test may edit it.</summary>
    public static string CopySample()
    {
        var target = Path.Combine(Path.GetTempPath(), "ledger-sample-" + Guid.NewGuid().ToString("N")[..8]);
        Copy(Path.Combine(AppContext.BaseDirectory, "Samples"), target);
        return target;
    }

    public async Task<ImportReport> ImportAsync(string root) =>
        await new Importer(Store, "test").ImportAsync(Path.Combine(root, "seeds"), Path.Combine(root, "events"), root, ct: TestContext.Current.CancellationToken);

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(from))
        {
            Copy(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }
}

/// <summary>A ledger holding the imported sample (every kind of development).</summary>
public sealed class SampleLedger(PostgresFixture postgres) : LedgerDatabase(postgres)
{
    public string Root { get; } = CopySample();

    public ImportReport FirstImport { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        FirstImport = await ImportAsync(Root);
    }
}
