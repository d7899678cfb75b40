using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Ledger.Import;
using Ledger.Infrastructure;
using Ledger.Tests.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Tests.Http;

/// <summary>Two <c>ledger serve</c> processes on one database and schema, as two machines behind a load balancer would run.</summary>
public sealed class TwoNodeTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan Takeover = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<(long Sequence, DateTime At)> _hooked = new();
    private readonly List<LedgerNode> _nodes = [];
    private WebApplication _receiver = null!;
    private Uri _receiverAddress = null!;
    private string _schema = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _schema = postgres.NewSchemaName(nameof(TwoNodeTests));
        await using (var store = DocumentStore.For(options => options.ConfigureLedger(postgres.ConnectionString, _schema)))
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var folder = Path.Combine(Path.GetTempPath(), "ledger-nodes-" + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                var negotiation = Directory.CreateDirectory(Path.Combine(folder, "events", LedgerServerFixture.Negotiation)).FullName;
                await File.WriteAllTextAsync(Path.Combine(negotiation, NegotiationFile.FileName), Sample.NegotiationYaml, Ct);
                var report = await new Importer(store, "test-setup").ImportAsync(Path.Combine(folder, "seeds"), Path.Combine(folder, "events"), folder, ct: Ct);
                Assert.True(report.Succeeded, string.Join("; ", report.Files.SelectMany(f => f.Errors)));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _receiver = builder.Build();
        _receiver.MapPost("/hook", (HttpRequest request) =>
        {
            _hooked.Enqueue((long.Parse(request.Headers["X-Ledger-Event-Id"].ToString(), CultureInfo.InvariantCulture), DateTime.UtcNow));
            return Results.Ok();
        });
        await _receiver.StartAsync(Ct);
        _receiverAddress = new Uri(_receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await _receiver.DisposeAsync();
    }

    [Fact(Timeout = 120_000)]
    public async Task Appends_through_either_node_reach_the_stream_clients_of_both_and_each_webhook_delivery_is_made_once()
    {
        TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
        var (first, second) = await StartTwoNodesAsync();
        await RegisterWebhookAsync(second);
        await using var onFirst = await SseClient.ConnectAsync(first.BaseAddress, "/api/stream?negotiation=harbour-talks&from=end");
        await using var onSecond = await SseClient.ConnectAsync(second.BaseAddress, "/api/stream?negotiation=harbour-talks&from=end");

        var appended = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            appended.Add(await AppendAsync(first, $"first-{i}"));
            appended.Add(await AppendAsync(second, $"second-{i}"));
        }

        foreach (var (stream, node) in new[] { (onFirst, first), (onSecond, second) })
        {
            var received = (await stream.TakeAsync(appended.Count, TimeSpan.FromSeconds(20))).Select(m => long.Parse(m.Id!, CultureInfo.InvariantCulture)).ToList();
            Assert.True(appended.Order().SequenceEqual(received), $"{node.Name}'s stream client got [{string.Join(", ", received)}] of [{string.Join(", ", appended)}]\n{node.Output}");
            Assert.Null(await stream.NextAsync(TimeSpan.FromMilliseconds(500)));
        }

        // One node runs the development feed, so with no failure each development is delivered once, not once per node.
        await WaitForAsync(() => Task.FromResult(appended.All(a => _hooked.Any(h => h.Sequence == a))), TimeSpan.FromSeconds(20), "every development reached the webhook");
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        var deliveries = _hooked.Select(h => h.Sequence).ToList();
        Assert.True(deliveries.Order().SequenceEqual(appended.Order()), $"the webhook got [{string.Join(", ", deliveries.Order())}] for [{string.Join(", ", appended)}]");
    }

    [Fact(Timeout = 150_000)]
    public async Task When_the_leader_is_killed_the_other_node_takes_over_streams_projections_and_webhooks_within_30_seconds()
    {
        TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
        var (leader, survivor) = await StartTwoNodesAsync();
        await RegisterWebhookAsync(survivor);

        await using var stream = await SseClient.ConnectAsync(survivor.BaseAddress, "/api/stream?negotiation=harbour-talks&from=end");

        // Everything flows while the first node leads.
        var before = await AppendAsync(leader, "before-kill");
        Assert.Equal(before.ToString(CultureInfo.InvariantCulture), (await stream.NextAsync(TimeSpan.FromSeconds(20)))?.Id);
        await WaitForAsync(() => Task.FromResult(_hooked.Any(h => h.Sequence == before)), TimeSpan.FromSeconds(20), "the webhook got the development appended before the kill");
        Assert.True(await InTimelineAsync(survivor, "before-kill"), "the timeline has the development appended before the kill");

        // kill -9 of the node that started first, and so holds the daemon's locks; then an append on the survivor.
        leader.Kill();
        var killed = Stopwatch.StartNew();
        var after = await AppendAsync(survivor, "after-kill");
        var accepted = killed.Elapsed;

        var live = await stream.NextAsync(Takeover);
        var streamed = killed.Elapsed;
        Assert.True(live?.Id == after.ToString(CultureInfo.InvariantCulture), $"the survivor's stream client got #{live?.Id ?? "nothing"} instead of #{after}\n{survivor.Output}");

        await WaitForAsync(() => InTimelineAsync(survivor, "after-kill"), Takeover - killed.Elapsed, "the timeline projection caught up on the survivor");
        var projected = killed.Elapsed;

        await WaitForAsync(() => Task.FromResult(_hooked.Any(h => h.Sequence == after)), Takeover - killed.Elapsed, "the development feed delivered to the webhook from the survivor");
        var hooked = killed.Elapsed;

        // The subscription's progress moved past the new development, so it runs (on the survivor) rather than replays.
        await using (var store = DocumentStore.For(options => options.ConfigureLedger(postgres.ConnectionString, _schema)))
        {
            var progress = await store.Advanced.AllProjectionProgress(token: Ct);
            Assert.Contains(progress, p => p.ShardName.StartsWith(Ledger.Subscriptions.DevelopmentFeed.Name, StringComparison.Ordinal) && p.Sequence >= after);
        }

        Assert.True(hooked < Takeover, $"the takeover took {hooked.TotalSeconds:N1} s");
        TestContext.Current.SendDiagnosticMessage(
            $"Takeover after kill -9: append accepted {accepted.TotalSeconds:N1} s, stream {streamed.TotalSeconds:N1} s, timeline {projected.TotalSeconds:N1} s, webhook {hooked.TotalSeconds:N1} s.");
        Console.Error.WriteLine($"[TwoNodeTests] takeover after kill -9: append accepted {accepted.TotalSeconds:N1} s, stream {streamed.TotalSeconds:N1} s, timeline {projected.TotalSeconds:N1} s, webhook {hooked.TotalSeconds:N1} s");
    }

    private async Task<(LedgerNode First, LedgerNode Second)> StartTwoNodesAsync()
    {
        // One after the other: the first creates Wolverine's tables and takes the daemon's locks.
        var first = await LedgerNode.StartAsync("node-1", postgres.ConnectionString, _schema, Startup);
        _nodes.Add(first);
        using (var client = first.Client())
        {
            await (await client.PostAsync("/api/sources", Sample.Json(Sample.Source("wire-0303", Sample.WireText, "2025-03-03")), Ct)).JsonAsync(HttpStatusCode.Created);
        }

        var second = await LedgerNode.StartAsync("node-2", postgres.ConnectionString, _schema, Startup);
        _nodes.Add(second);
        return (first, second);
    }

    private async Task RegisterWebhookAsync(LedgerNode node)
    {
        using var client = node.Client();
        var body = new { url = new Uri(_receiverAddress, "/hook").ToString(), negotiation = LedgerServerFixture.Negotiation };
        await (await client.PostAsync("/api/webhooks", Sample.Json(body), Ct)).JsonAsync(HttpStatusCode.Created);
    }

    private static async Task<long> AppendAsync(LedgerNode node, string key)
    {
        using var client = node.Client();
        var body = Sample.Position("north", "a truce must come first", "2025-03-03", "wire-0303", key: key);
        var result = await (await client.PostAsync("/api/developments", Sample.Json(body), Ct)).JsonAsync(HttpStatusCode.Created);
        return result.GetProperty("claims")[0].GetProperty("sequence").GetInt64();
    }

    private static async Task<bool> InTimelineAsync(LedgerNode node, string key)
    {
        using var client = node.Client(writer: false);
        using var response = await client.GetAsync("/api/negotiations/harbour-talks/timeline", Ct);
        return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync(Ct)).Contains($"\"{key}\"", StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(100, Ct);
        }
    }
}
