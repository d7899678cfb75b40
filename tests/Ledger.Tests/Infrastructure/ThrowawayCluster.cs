using Ledger.Infrastructure.Postgres;
using Npgsql;

namespace Ledger.Tests.Infrastructure;

/// <summary>
/// A second PostgreSQL server of its own, on loopback, for the tests that need another server than the shared one
/// (a ledger partitioned over two servers). Deleted when disposed.
/// </summary>
public sealed class ThrowawayCluster : IAsyncDisposable
{
    private readonly string _runFolder;
    private readonly LocalPostgresCluster _cluster;

    private ThrowawayCluster(string runFolder, LocalPostgresCluster cluster, string connectionString)
    {
        _runFolder = runFolder;
        _cluster = cluster;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<ThrowawayCluster> StartAsync(string label, CancellationToken ct)
    {
        var runFolder = PostgresFixture.CreateLocalRunFolder(label);
        var cluster = new LocalPostgresCluster(
            Path.Combine(runFolder, PostgresFixture.LocalDataFolderName),
            new LocalPostgresClusterOptions { FastUnsafe = true, MaxConnections = 100 });
        try
        {
            var server = await cluster.StartAsync("ledger_" + label.Replace('-', '_'), ct);
            return new ThrowawayCluster(runFolder, cluster, server.ConnectionString);
        }
        catch
        {
            PostgresFixture.DeleteQuietly(runFolder);
            throw;
        }
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
