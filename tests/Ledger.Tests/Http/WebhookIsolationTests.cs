using System.Diagnostics;
using Ledger.Tests.Infrastructure;
using static Ledger.Tests.Http.WebhookCalls;

namespace Ledger.Tests.Http;

/// <summary>
/// Retry pauses as in production (1 s, 5 s, 30 s), a one-second timeout, six delivery slots and at most two
/// attempts at once per webhook: a receiver that fails, redirects or hangs must not hold up any other.
/// </summary>
public sealed class WebhookIsolationFixture(PostgresFixture postgres) : LedgerServerFixture(postgres)
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings =>
    [
        new("Ledger:Webhooks:RetryDelaysMs", "1000,5000,30000"),
        new("Ledger:Webhooks:TimeoutSeconds", "1"),
        new("Ledger:Webhooks:MaxParallelDeliveries", "6"),
        new("Ledger:Webhooks:MaxConcurrentPerWebhook", "2"),
        new("Ledger:Webhooks:PollingMs", "100"),
        new("Ledger:Webhooks:AllowPrivateTargets", "true"),
    ];
}

public sealed class WebhookIsolationTests(WebhookIsolationFixture server) : IClassFixture<WebhookIsolationFixture>, IAsyncLifetime
{
    private const int Developments = 12;

    private WebhookReceiver _receiver = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _receiver = await WebhookReceiver.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_failing_a_redirecting_and_a_hanging_receiver_do_not_delay_a_healthy_one()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        _receiver.AlwaysFail["failing"] = true;
        _receiver.RedirectTo["redirecting"] = "elsewhere";
        _receiver.Delay["hanging"] = TimeSpan.FromSeconds(30);
        await RegisterAsync(alice, _receiver.Url("failing"));
        await RegisterAsync(alice, _receiver.Url("redirecting"));
        await RegisterAsync(alice, _receiver.Url("hanging"));
        var healthy = await RegisterAsync(alice, _receiver.Url("healthy"));

        var clock = Stopwatch.StartNew();
        var sequences = new List<long>();
        for (var i = 0; i < Developments; i++)
        {
            sequences.Add(await AppendAsync(alice, $"exchange-isolation-{i}"));
        }

        var appended = clock.Elapsed;
        await UntilAsync(() => _receiver.Of("healthy").Select(r => r.Sequence).Distinct().Count() == Developments, TimeSpan.FromSeconds(8), $"the healthy receiver got all {Developments} developments (it has {_receiver.Of("healthy").Count})");
        var lastArrived = clock.Elapsed - appended;
        TestContext.Current.TestOutputHelper?.WriteLine($"healthy receiver: all {Developments} deliveries {lastArrived.TotalMilliseconds:0} ms after the last append");

        Assert.Equal(sequences.Order(), _receiver.Of("healthy").Select(r => r.Sequence).Distinct().Order());
        var deliveries = await DeliveriesAsync(alice, healthy.Id, "delivered");
        Assert.Equal(Developments, deliveries.Count);
        Assert.Empty(_receiver.Of("elsewhere"));

        // The failing ones were tried, and are waiting for their next attempt rather than holding a slot.
        Assert.NotEmpty(_receiver.Of("failing"));
        Assert.NotEmpty(_receiver.Of("redirecting"));
    }
}
