using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Tests.Http;

/// <summary>The server with quick retry pauses (50, 100 and 200 ms: four attempts) so that dead-lettering takes moments.</summary>
public sealed class WebhookServerFixture(PostgresFixture postgres) : LedgerServerFixture(postgres)
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings => [new("Ledger:Webhooks:RetryDelaysMs", "50,100,200")];
}

public sealed class WebhookTests(WebhookServerFixture server) : IClassFixture<WebhookServerFixture>, IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Name, string Body, string? Signature, string? EventId, string? Attempt)> _received = new();
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new();
    private WebApplication _receiver = null!;
    private Uri _receiverAddress = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _receiver = builder.Build();
        _receiver.MapPost("/hook/{name}", async (string name, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            _received.Enqueue((name, body, request.Headers["X-Ledger-Signature"], request.Headers["X-Ledger-Event-Id"], request.Headers["X-Ledger-Attempt"]));
            var fail = _failuresLeft.TryGetValue(name, out var left) && left > 0;
            if (fail)
            {
                _failuresLeft[name] = left - 1;
            }

            return fail ? Results.StatusCode(503) : Results.Ok();
        });
        await _receiver.StartAsync(Ct);
        _receiverAddress = new Uri(_receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_matching_development_is_delivered_signed_a_failing_receiver_gets_retries_and_a_dead_one_is_dead_lettered()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        _failuresLeft["flaky"] = 2;       // fails twice, then accepts
        _failuresLeft["dead"] = 1_000;    // never accepts
        var healthy = await RegisterAsync(alice, "healthy", track: "prisoners");
        var flaky = await RegisterAsync(alice, "flaky", track: "prisoners");
        var dead = await RegisterAsync(alice, "dead", track: "prisoners");
        var elsewhere = await RegisterAsync(alice, "elsewhere", track: "ceasefire");

        var appended = await (await alice.PostAsync("/api/developments", Sample.Json(Sample.Proposal()), Ct)).JsonAsync(HttpStatusCode.Created);
        var sequence = appended.GetProperty("claims")[0].GetProperty("sequence").GetInt64();

        var healthyDeliveries = await DeliveriesAsync(alice, healthy.Id, d => d.Any(x => x.GetProperty("status").GetString() == "delivered"));
        var flakyDeliveries = await DeliveriesAsync(alice, flaky.Id, d => d.Any(x => x.GetProperty("status").GetString() == "delivered"));
        var deadDeliveries = await DeliveriesAsync(alice, dead.Id, d => d.Any(x => x.GetProperty("status").GetString() == "dead-lettered"));

        // Delivered, once, signed so the receiver can verify it.
        var delivered = _received.Where(r => r.Name == "healthy").ToList();
        Assert.Single(delivered);
        Assert.Equal(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), delivered[0].EventId);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(healthy.Secret), Encoding.UTF8.GetBytes(delivered[0].Body)));
        Assert.Equal(expected, delivered[0].Signature);
        Assert.Equal("exchange-100", JsonDocument.Parse(delivered[0].Body).RootElement.GetProperty("developmentKey").GetString());
        Assert.Single(healthyDeliveries[0].GetProperty("attempts").EnumerateArray());

        // Retried after failures, then delivered.
        Assert.Equal(3, _received.Count(r => r.Name == "flaky"));
        Assert.Equal(["503", "503", "200"], flakyDeliveries[0].GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("statusCode").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)));

        // Dead-lettered after the last attempt, and visible.
        Assert.Equal(4, deadDeliveries[0].GetProperty("attempts").GetArrayLength());
        Assert.Equal(4, _received.Count(r => r.Name == "dead"));
        Assert.True(await WolverineDeadLettersAsync() >= 1, "the message is in Wolverine's dead-letter storage");

        // The filter held.
        Assert.DoesNotContain(_received, r => r.Name == "elsewhere");
        Assert.Empty((await (await alice.GetAsync($"/api/webhooks/{elsewhere.Id}/deliveries", Ct)).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task Webhooks_need_a_writers_key_and_a_valid_url()
    {
        using var anonymous = server.Client();
        using var alice = server.Client(LedgerServerFixture.AliceKey);

        await (await anonymous.GetAsync("/api/webhooks", Ct)).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PostAsync("/api/webhooks", Sample.Json(new { url = "http://127.0.0.1:1/x" }), Ct)).ProblemAsync(HttpStatusCode.Unauthorized);
        var problem = await (await alice.PostAsync("/api/webhooks", Sample.Json(new { url = "ftp://example/x" }), Ct)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("url", problem.ErrorFields());
        var listed = await (await alice.GetAsync("/api/webhooks", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.All(listed.EnumerateArray(), w => Assert.False(w.TryGetProperty("secret", out _)));
    }

    private async Task<long> WolverineDeadLettersAsync()
    {
        for (var i = 0; ; i++)
        {
            await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync(Ct);
            await using var command = new Npgsql.NpgsqlCommand(
                $"select count(*) from {server.Schema}.wolverine_dead_letters where message_type like '%deliver%webhook%' or exception_type like '%WebhookDeliveryException%'",
                connection);
            var count = (long)(await command.ExecuteScalarAsync(Ct))!;
            if (count > 0 || i == 50)
            {
                return count;
            }

            await Task.Delay(100, Ct);
        }
    }

    private sealed record Registered(string Id, string Secret);

    private async Task<Registered> RegisterAsync(HttpClient client, string name, string track)
    {
        var body = new { url = new Uri(_receiverAddress, $"/hook/{name}").ToString(), negotiation = "harbour-talks", track };
        var registered = await (await client.PostAsync("/api/webhooks", Sample.Json(body), Ct)).JsonAsync(HttpStatusCode.Created);
        return new Registered(registered.GetProperty("id").GetString()!, registered.GetProperty("secret").GetString()!);
    }

    private static async Task<List<JsonElement>> DeliveriesAsync(HttpClient client, string id, Func<List<JsonElement>, bool> done)
    {
        var deliveries = new List<JsonElement>();
        for (var i = 0; i < 150; i++)
        {
            deliveries = [.. (await (await client.GetAsync($"/api/webhooks/{id}/deliveries", Ct)).JsonAsync(HttpStatusCode.OK)).EnumerateArray()];
            if (done(deliveries))
            {
                return deliveries;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail($"webhook {id}: {JsonSerializer.Serialize(deliveries)}");
        return deliveries;
    }
}
