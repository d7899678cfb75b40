using System.Text.Json;
using Ledger.Infrastructure.Postgres;

namespace Ledger.Tests.Cli;

/// <summary>
/// <c>ledger db status|stop</c> over a private PostgreSQL of its own: LEDGER_HOME puts it in a folder under /tmp, away
/// from the repository's .ledger/ and from the test run's server.
/// </summary>
public sealed class DbCommandTests
{
    [Fact]
    public async Task Db_status_and_stop_follow_the_private_PostgreSQL_that_a_command_started()
    {
        var home = Path.Combine(Path.GetTempPath(), "ledger-home-" + Guid.NewGuid().ToString("N")[..12]);
        var data = Path.Combine(home, "postgres");
        Directory.CreateDirectory(home);
        var environment = new Dictionary<string, string> { ["LEDGER_HOME"] = home };
        try
        {
            var none = await LedgerProcess.RunAsync(environment, "db", "status");
            Assert.True(none.ExitCode == 0, none.ToString());
            Assert.Contains($"none yet (it is created in {data}", none.Stdout, StringComparison.Ordinal);

            var first = await LedgerProcess.RunAsync(environment, "sources", "--format", "json");
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Contains("Started a private PostgreSQL", first.Stderr, StringComparison.Ordinal);
            Assert.Contains($"data in {data}", first.Stderr, StringComparison.Ordinal);
            Assert.Contains($"`ledger db stop`, then delete {home}/", first.Stderr, StringComparison.Ordinal);

            var running = await LedgerProcess.RunAsync(environment, "db", "status", "--format", "json");
            Assert.True(running.ExitCode == 0, running.ToString());
            var status = JsonDocument.Parse(running.Stdout).RootElement;
            Assert.True(status.GetProperty("running").GetBoolean());
            var port = status.GetProperty("port").GetInt32();
            Assert.Equal(data, status.GetProperty("dataDirectory").GetString());
            Assert.True(status.GetProperty("bytes").GetInt64() > 1_000_000);
            var table = await LedgerProcess.RunAsync(environment, "db", "status");
            Assert.Contains($"running on 127.0.0.1:{port}", table.Stdout, StringComparison.Ordinal);
            Assert.Contains($"data: {data} (", table.Stdout, StringComparison.Ordinal);

            var stop = await LedgerProcess.RunAsync(environment, "db", "stop");
            Assert.True(stop.ExitCode == 0, stop.ToString());
            Assert.Contains($"Stopped the private PostgreSQL on 127.0.0.1:{port}", stop.Stdout, StringComparison.Ordinal);
            Assert.False((await new LocalPostgresCluster(data).StatusAsync(TestContext.Current.CancellationToken)).Running);

            var stopped = await LedgerProcess.RunAsync(environment, "db", "status");
            Assert.Contains("not running", stopped.Stdout, StringComparison.Ordinal);
            var again = await LedgerProcess.RunAsync(environment, "db", "stop");
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Contains("is not running", again.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            await new LocalPostgresCluster(data).StopAsync(CancellationToken.None);
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Db_status_says_when_LEDGER_CONNECTION_is_used_instead()
    {
        var home = Path.Combine(Path.GetTempPath(), "ledger-home-" + Guid.NewGuid().ToString("N")[..12]);
        var run = await LedgerProcess.RunAsync(
            new Dictionary<string, string> { ["LEDGER_HOME"] = home, ["LEDGER_CONNECTION"] = "Host=127.0.0.1;Port=1" }, "db", "status");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("none yet", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("not in use: LEDGER_CONNECTION is set", run.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(home));
    }
}
