using System.Net;
using Ledger.Subscriptions;
using Ledger.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static Ledger.Tests.Http.WebhookCalls;

namespace Ledger.Tests.Http;

/// <summary>The server as deployed: webhook targets must be public addresses.</summary>
public sealed class WebhookTargetTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _receiver = await WebhookReceiver.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://localhost:9/hook")]
    [InlineData("http://[::1]:9/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://192.168.0.10/hook")]
    [InlineData("http://172.20.0.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://224.0.0.1/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    public async Task A_non_public_target_is_refused_at_registration(string url)
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var problem = await (await alice.PostAsync("/api/webhooks", Sample.Json(new { url }), Ct)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("url", problem.ErrorFields());
        Assert.Contains("not a public address", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_public_address_is_accepted()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        // No connection is made at registration; the track filter matches nothing, so none is made later either.
        await (await alice.PostAsync("/api/webhooks", Sample.Json(new { url = "https://93.184.215.14/hook", negotiation = "harbour-talks", track = "no-such-track" }), Ct)).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_at_delivery_time_is_refused_before_connecting()
    {
        // As if the host had resolved to a public address at registration and to loopback since (DNS rebinding).
        var sender = server.App.Services.GetRequiredService<WebhookSender>();
        var hook = new Webhook(Guid.NewGuid(), _receiver.Url("rebound").Replace("127.0.0.1", "localhost", StringComparison.Ordinal), "harbour-talks", "ceasefire", sender.Protect("s"), "alice", DateTimeOffset.UtcNow);
        await using (var session = server.Store.LightweightSession())
        {
            session.Store(hook);
            await session.SaveChangesAsync(Ct);
        }

        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var appended = await alice.PostAsync("/api/developments", Sample.Json(Sample.Position("north", "North said a truce must come first", "2025-03-03", "wire-0303")), Ct);
        await appended.JsonAsync(HttpStatusCode.Created);

        var deliveries = await DeliveriesUntilAsync(alice, hook.Id.ToString(), d => d.Count > 0 && d[0].GetProperty("attempts").GetArrayLength() > 0);
        var attempt = deliveries[0].GetProperty("attempts")[0];
        Assert.False(attempt.TryGetProperty("statusCode", out var code) && code.ValueKind == System.Text.Json.JsonValueKind.Number);
        Assert.Contains("not a public address", attempt.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task The_connect_step_refuses_loopback_unless_allowed_by_network()
    {
        var url = _receiver.Url("direct").Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

        using var refusing = Client(new WebhookTargets(false, []));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => refusing.PostAsync(url, new StringContent("{}"), Ct));
        Assert.IsType<WebhookTargetRefusedException>(refused.InnerException);
        Assert.Empty(_receiver.Received);

        using var allowing = Client(new WebhookTargets(false, ["127.0.0.0/8", "::1/128"]));
        Assert.Equal(HttpStatusCode.OK, (await allowing.PostAsync(url, new StringContent("{}"), Ct)).StatusCode);
        Assert.Single(_receiver.Received);

        static HttpClient Client(WebhookTargets targets) =>
            new(new SocketsHttpHandler { ConnectCallback = targets.ConnectAsync, UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("93.184.215.14", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("239.1.1.1", false)]
    [InlineData("::", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("::ffff:8.8.8.8", true)]
    public void Public_addresses_are_told_apart(string address, bool isPublic) =>
        Assert.Equal(isPublic, WebhookTargets.IsPublic(IPAddress.Parse(address)));
}
