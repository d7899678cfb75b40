using System.Text.RegularExpressions;
using Ledger.Infrastructure.Postgres;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Ledger.Tests.Infrastructure;

public sealed partial class PostgresFixtureTests(PostgresFixture fixture)
{
    [Fact]
    public async Task The_fixture_connection_opens_and_reports_PostgreSQL()
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("select version()", connection);

        var version = (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);

        Assert.StartsWith("PostgreSQL ", version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_schema_names_are_unique_lowercase_identifiers_the_server_accepts()
    {
        var names = Enumerable.Range(0, 100).Select(_ => fixture.NewSchemaName("My Class-Name")).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, name => Assert.Matches(SchemaName(), name));
        Assert.StartsWith("t_my_class_name_", names[0], StringComparison.Ordinal);
        Assert.True(fixture.NewSchemaName(new string('x', 200)).Length <= 63);

        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var create = new NpgsqlCommand($"create schema {names[0]}; drop schema {names[0]};", connection);
        await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Starting_the_same_data_folder_twice_reuses_the_running_server()
    {
        SkipUnlessLocalBinaries();
        var ct = TestContext.Current.CancellationToken;
        var folder = PostgresFixture.CreateLocalRunFolder("reuse");
        var dataFolder = Path.Combine(folder, PostgresFixture.LocalDataFolderName);
        var options = new LocalPostgresClusterOptions { FastUnsafe = true };
        var first = new LocalPostgresCluster(dataFolder, options);
        try
        {
            var started = await first.StartAsync("reuse_test", ct);
            var reused = await new LocalPostgresCluster(dataFolder, options).StartAsync("reuse_test", ct);

            Assert.True(started.StartedNow);
            Assert.False(reused.StartedNow);
            Assert.Equal(started.Port, reused.Port);
            Assert.Equal(started.ConnectionString, reused.ConnectionString);
            Assert.Equal(
                started.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (await File.ReadAllTextAsync(Path.Combine(started.DataDirectory, LocalPostgresCluster.PortFileName), ct)).Trim());

            await using var connection = new NpgsqlConnection(reused.ConnectionString);
            await connection.OpenAsync(ct);
            Assert.Equal("reuse_test", connection.Database);

            await first.StopAsync(ct);
            var restarted = await first.StartAsync("reuse_test", ct);
            Assert.True(restarted.StartedNow);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await first.StopAsync(CancellationToken.None);
            PostgresFixture.DeleteQuietly(folder);
        }
    }

    [Fact]
    public async Task Missing_binaries_give_an_exception_that_says_how_to_get_PostgreSQL()
    {
        var folder = PostgresFixture.CreateLocalRunFolder("nobin");
        try
        {
            var emptyBin = Directory.CreateDirectory(Path.Combine(folder, "bin")).FullName;
            var cluster = new LocalPostgresCluster(
                Path.Combine(folder, PostgresFixture.LocalDataFolderName),
                new LocalPostgresClusterOptions { BinDirectory = emptyBin });

            var error = await Assert.ThrowsAsync<PostgresNotFoundException>(
                () => cluster.StartAsync("ledger", TestContext.Current.CancellationToken));

            Assert.Contains("apt-get install -y postgresql", error.Message, StringComparison.Ordinal);
            Assert.Contains("brew install postgresql@17", error.Message, StringComparison.Ordinal);
            Assert.Contains("docker compose up -d", error.Message, StringComparison.Ordinal);
            Assert.Contains("LEDGER_CONNECTION", error.Message, StringComparison.Ordinal);
            Assert.Contains(emptyBin, error.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(folder, PostgresFixture.LocalDataFolderName)));
        }
        finally
        {
            PostgresFixture.DeleteQuietly(folder);
        }
    }

    [Fact]
    public async Task LEDGER_CONNECTION_then_configuration_win_over_the_private_server()
    {
        var ct = TestContext.Current.CancellationToken;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Ledger"] = "Host=from-config" })
            .Build();
        using var notices = new StringWriter();

        var fromEnvironment = await LedgerConnection.ResolveAsync(
            configuration, notices, name => name == "LEDGER_CONNECTION" ? "Host=from-env" : null, "/nonexistent", ct);
        var fromConfiguration = await LedgerConnection.ResolveAsync(
            configuration, notices, _ => null, "/nonexistent", ct);

        Assert.Equal("Host=from-env", fromEnvironment.ConnectionString);
        Assert.Contains("LEDGER_CONNECTION", fromEnvironment.Description, StringComparison.Ordinal);
        Assert.Equal("Host=from-config", fromConfiguration.ConnectionString);
        Assert.Contains("ConnectionStrings:Ledger", fromConfiguration.Description, StringComparison.Ordinal);
        Assert.Empty(notices.ToString());
    }

    [Fact]
    public void The_private_data_folder_is_under_the_repository_root()
    {
        var root = LedgerConnection.FindRepositoryRoot(AppContext.BaseDirectory);

        Assert.NotNull(root);
        Assert.True(File.Exists(Path.Combine(root, "Ledger.sln")));
        Assert.Equal(
            Path.Combine(root, ".ledger", "postgres"),
            LedgerConnection.DefaultDataDirectory(Path.Combine(root, "tests", "Ledger.Tests")));
    }

    private static void SkipUnlessLocalBinaries()
    {
        try
        {
            LocalPostgresCluster.LocateBinaries();
        }
        catch (PostgresNotFoundException)
        {
            Assert.Skip("No local PostgreSQL binaries on this machine.");
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
