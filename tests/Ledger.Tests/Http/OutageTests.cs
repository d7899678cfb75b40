using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Ledger.Infrastructure.Http;
using Ledger.Infrastructure.Postgres;
using Ledger.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ledger.Tests.Http;

/// <summary>
/// While PostgreSQL is down the API answers every request it cannot serve with 503, <c>Retry-After</c> and a problem
/// document, readiness says the database is unreachable and liveness stays 200; once PostgreSQL is back, so is the
/// API. The test stops and restarts a PostgreSQL cluster of its own, never the one the other tests share.
/// </summary>
public sealed class OutageTests
{
    private const string AliceKey = "alice-outage-key";
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(30);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task While_the_database_is_down_reads_and_writes_answer_503_with_Retry_After_and_readiness_says_so()
    {
        await using var cluster = await ThrowawayCluster.StartAsync("outage", _ct, maxConnections: 50);
        WebApplication? app = null;
        try
        {
            app = LedgerServer.Build(["--urls", "http://127.0.0.1:0"], new ServerStore(cluster.ConnectionString, "ledger"), builder =>
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Ledger:ApiKeys:alice"] = AliceKey,
                    ["Ledger:DatabaseOutage:RetryAfterSeconds"] = "7",
                }));
            await app.StartAsync(_ct);
            using var client = new HttpClient
            {
                BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()),
                Timeout = TimeSpan.FromSeconds(20),
            };
            client.DefaultRequestHeaders.Add("X-Api-Key", AliceKey);

            (await (await client.GetAsync("/api/negotiations", _ct)).JsonAsync(HttpStatusCode.OK)).GetArrayLength();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Health.ReadyPath, _ct)).StatusCode);

            await cluster.StopAsync(_ct);
            var down = Stopwatch.StartNew();

            foreach (var request in new Func<Task<HttpResponseMessage>>[]
            {
                () => client.GetAsync("/api/negotiations", _ct),
                () => client.GetAsync("/api/negotiations/harbour-talks/status", _ct),
                () => client.GetAsync("/api/sources", _ct),
                () => client.PostAsync("/api/sources", Sample.Json(Sample.Source("wire-0303", Sample.WireText, "2025-03-03")), _ct),
                () => client.PostAsync("/api/developments", Sample.Json(Sample.Proposal()), _ct),
            })
            {
                using var response = await request();
                var problem = await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
                Assert.Equal("7", Assert.Single(response.Headers.GetValues("Retry-After")));
                Assert.Contains("database is unreachable; retry after 7 s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            using var ready = await client.GetAsync(Health.ReadyPath, _ct);
            var readiness = await ready.JsonAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("unhealthy", readiness.GetProperty("status").GetString());
            Assert.Contains("unreachable", readiness.GetProperty("checks").GetProperty("database").GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Health.LivePath, _ct)).StatusCode);
            TestContext.Current.SendDiagnosticMessage($"every request answered 503 within {down.ElapsedMilliseconds} ms of the stop");

            await cluster.RestartAsync(_ct);
            var back = Stopwatch.StartNew();
            while ((await client.GetAsync(Health.ReadyPath, _ct)).StatusCode != HttpStatusCode.OK)
            {
                Assert.True(back.Elapsed < RecoveryLimit, $"not ready {RecoveryLimit.TotalSeconds} s after PostgreSQL restarted");
                await Task.Delay(200, _ct);
            }

            using var after = await client.GetAsync("/api/negotiations", _ct);
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            TestContext.Current.SendDiagnosticMessage($"ready again {back.ElapsedMilliseconds} ms after PostgreSQL restarted");
        }
        finally
        {
            if (app is not null)
            {
                using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await app.StopAsync(stopping.Token);
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public void An_outage_is_recognised_through_the_exceptions_that_wrap_it_and_other_database_errors_are_not_one()
    {
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:1", new SocketException((int)SocketError.ConnectionRefused));
        var wrapped = new InvalidOperationException("Marten command failed", new AggregateException(refused));
        var timeout = new NpgsqlException("The operation has timed out", new TimeoutException());
        var shutdown = PostgresError("57P01");
        var duplicate = PostgresError("23505");

        Assert.True(DatabaseOutageHandler.IsOutage(refused));
        Assert.True(DatabaseOutageHandler.IsOutage(wrapped));
        Assert.True(DatabaseOutageHandler.IsOutage(timeout));
        Assert.True(DatabaseOutageHandler.IsOutage(new InvalidOperationException("wrapped", shutdown)));
        Assert.True(DatabaseOutageHandler.IsOutage(PostgresError("53300")));
        Assert.False(DatabaseOutageHandler.IsOutage(new InvalidOperationException("wrapped", duplicate)));
        Assert.False(DatabaseOutageHandler.IsOutage(new JsonException("bad body")));
    }

    private static PostgresException PostgresError(string sqlState) =>
        new("message", "FATAL", "FATAL", sqlState);
}
