using System.Net;
using Ledger.Import;
using Ledger.Infrastructure.Http;
using Ledger.Infrastructure.Postgres;
using Ledger.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Ledger.Tests.Http.WebhookCalls;

namespace Ledger.Tests.Http;

/// <summary>
/// A database outage in the middle of deliveries. The server runs on a PostgreSQL cluster of this test's own, which
/// it stops and starts again; the cluster the other tests share is never touched.
/// </summary>
public sealed class WebhookOutageTests : IAsyncLifetime
{
    private const int Developments = 20;
    private const string AliceKey = "alice-outage-key";

    private ThrowawayCluster? _cluster;
    private WebApplication? _app;
    private WebhookReceiver _receiver = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        await _receiver.DisposeAsync();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_database_outage_during_deliveries_loses_none_and_dead_letters_none()
    {
        _cluster = await ThrowawayCluster.StartAsync("outage", Ct);
        var connection = _cluster.ConnectionString;

        // Short pools and timeouts, so that connections broken by the outage are noticed and replaced quickly.
        connection = new NpgsqlConnectionStringBuilder(connection) { Timeout = 3, CommandTimeout = 10 }.ConnectionString;
        var client = await StartServerAsync(connection);
        _receiver.Delay["steady"] = TimeSpan.FromMilliseconds(250);
        var hook = await RegisterAsync(client, _receiver.Url("steady"));
        var sequences = new List<long>();
        for (var i = 0; i < Developments; i++)
        {
            sequences.Add(await AppendAsync(client, $"exchange-outage-{i}"));
        }

        // Down while deliveries are under way (each takes a quarter of a second, four at a time), then up again.
        var beforeOutage = _receiver.Of("steady").Count;
        await _cluster.StopAsync(Ct);
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        await _cluster.RestartAsync(Ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"{beforeOutage} of {Developments} delivered before the outage");
        Assert.True(beforeOutage < Developments, "the outage came before every delivery was made");

        await UntilAsync(() => _receiver.Of("steady").Select(r => r.Sequence).Distinct().Count() == Developments, TimeSpan.FromSeconds(60), "every development reached the receiver after the outage");
        Assert.Equal(sequences.Order(), _receiver.Of("steady").Select(r => r.Sequence).Distinct().Order());
        var deliveries = await DeliveriesUntilAsync(client, hook.Id, d => d.Count(x => x.Status() == "delivered") == Developments, TimeSpan.FromSeconds(30));
        Assert.Equal(Developments, deliveries.Count);
        Assert.Empty(await DeliveriesAsync(client, hook.Id, "dead-lettered"));
        Assert.Equal(0, await CountAsync(connection, "select count(*) from ledger_outage.wolverine_dead_letters"));
    }

    private async Task<HttpClient> StartServerAsync(string connection)
    {
        _app = LedgerServer.Build(["--urls", "http://127.0.0.1:0"], new ServerStore(connection, "ledger_outage"), builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ledger:ApiKeys:alice"] = AliceKey,
                ["Ledger:Webhooks:RetryDelaysMs"] = "200,500,1000",
                ["Ledger:Webhooks:PollingMs"] = "100",
                ["Ledger:Webhooks:TimeoutSeconds"] = "5",
                ["Ledger:Webhooks:AllowPrivateTargets"] = "true",
            }));
        await _app.StartAsync(Ct);
        var address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var folder = Directory.CreateTempSubdirectory("ledger-outage-sample-").FullName;
        var negotiation = Directory.CreateDirectory(Path.Combine(folder, "events", LedgerServerFixture.Negotiation)).FullName;
        await File.WriteAllTextAsync(Path.Combine(negotiation, NegotiationFile.FileName), Sample.NegotiationYaml, Ct);
        var report = await new Importer(_app.Services.GetRequiredService<Marten.IDocumentStore>(), "test-setup").ImportAsync(Path.Combine(folder, "seeds"), Path.Combine(folder, "events"), folder, ct: Ct);
        Directory.Delete(folder, recursive: true);
        Assert.True(report.Succeeded, string.Join("; ", report.Files.SelectMany(f => f.Errors)));

        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AliceKey);
        var source = await client.PostAsync("/api/sources", Sample.Json(Sample.Source("wire-0303", Sample.WireText, "2025-03-03")), Ct);
        Assert.Equal(HttpStatusCode.Created, source.StatusCode);
        return client;
    }

    private static async Task<long> CountAsync(string connection, string sql)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, db);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
