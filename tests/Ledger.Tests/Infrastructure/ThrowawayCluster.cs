using Ledger.Infrastructure.Postgres;
using Npgsql;

namespace Ledger.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of a test's own, on loopback, for tests that need another server than the shared one (a
/// ledger partitioned over two servers) or one they may stop and start (outages). Deleted when disposed. Skips the
/// test, saying why, on a machine without PostgreSQL server binaries.
/// </summary>
public sealed class ThrowawayCluster : IAsyncDisposable
{
    private readonly string _runFolder;
    private readonly LocalPostgresCluster _cluster;
    private readonly string _database;

    private ThrowawayCluster(string runFolder, LocalPostgresCluster cluster, string database, LocalPostgresServer server)
    {
        _runFolder = runFolder;
        _cluster = cluster;
        _database = database;
        ConnectionString = server.ConnectionString;
        Port = server.Port;
    }

    public string ConnectionString { get; }

    public int Port { get; }

    public static async Task<ThrowawayCluster> StartAsync(string label, CancellationToken ct, int maxConnections = 100)
    {
        try
        {
            LocalPostgresCluster.LocateBinaries();
        }
        catch (PostgresNotFoundException e)
        {
            Assert.Skip($"needs PostgreSQL server binaries for a cluster of the test's own: {e.Message}");
        }

        var runFolder = PostgresFixture.CreateLocalRunFolder(label);
        var cluster = new LocalPostgresCluster(
            Path.Combine(runFolder, PostgresFixture.LocalDataFolderName),
            new LocalPostgresClusterOptions { FastUnsafe = true, MaxConnections = maxConnections });
        var database = "ledger_" + label.Replace('-', '_');
        try
        {
            return new ThrowawayCluster(runFolder, cluster, database, await cluster.StartAsync(database, ct));
        }
        catch
        {
            PostgresFixture.DeleteQuietly(runFolder);
            throw;
        }
    }

    /// <summary>Stops the server, as an outage would; its data stays.</summary>
    public Task StopAsync(CancellationToken ct) => _cluster.StopAsync(ct);

    /// <summary>Starts the stopped server again, on the same port with the same data.</summary>
    public async Task RestartAsync(CancellationToken ct)
    {
        var server = await _cluster.StartAsync(_database, ct);
        Assert.Equal(Port, server.Port);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await _cluster.StopAsync(CancellationToken.None);
        }
        finally
        {
            PostgresFixture.DeleteQuietly(_runFolder);
        }
    }
}
