using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Tests.Http;

/// <summary>One request a test receiver got.</summary>
public sealed record ReceivedHook(string Name, string Body, string? Signature, string? EventId, string? Attempt, string? IdempotencyKey)
{
    public long Sequence => long.Parse(EventId!, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Webhook receivers on 127.0.0.1, one path per name: <c>/hook/{name}</c>. How each answers is set per name:
/// a number of failures first (503), always 500, a 307 redirect, or a wait before answering.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedHook> Received { get; } = new();

    public ConcurrentDictionary<string, int> FailuresLeft { get; } = new();

    public ConcurrentDictionary<string, bool> AlwaysFail { get; } = new();

    public ConcurrentDictionary<string, string> RedirectTo { get; } = new();

    public ConcurrentDictionary<string, TimeSpan> Delay { get; } = new();

    public Uri Address { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build());
        receiver._app.MapPost("/hook/{name}", receiver.HandleAsync);
        await receiver._app.StartAsync(ct);
        receiver.Address = new Uri(receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    public string Url(string name) => new Uri(Address, $"/hook/{name}").ToString();

    public List<ReceivedHook> Of(string name) => Received.Where(r => r.Name == name).ToList();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<IResult> HandleAsync(string name, HttpRequest request, CancellationToken aborted)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(aborted);
        if (Delay.TryGetValue(name, out var delay))
        {
            try
            {
                await Task.Delay(delay, aborted);
            }
            catch (OperationCanceledException)
            {
                return Results.StatusCode(499);
            }
        }

        Received.Enqueue(new ReceivedHook(name, body, request.Headers["X-Ledger-Signature"], request.Headers["X-Ledger-Event-Id"], request.Headers["X-Ledger-Attempt"], request.Headers["Idempotency-Key"]));
        if (RedirectTo.TryGetValue(name, out var target))
        {
            return Results.Redirect(Url(target), permanent: false, preserveMethod: true);
        }

        if (AlwaysFail.TryGetValue(name, out var fail) && fail)
        {
            return Results.StatusCode(500);
        }

        if (FailuresLeft.TryGetValue(name, out var left) && left > 0)
        {
            FailuresLeft[name] = left - 1;
            return Results.StatusCode(503);
        }

        return Results.Ok();
    }
}

/// <summary>Registering webhooks, appending developments and reading deliveries, for the webhook tests.</summary>
public static class WebhookCalls
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed record Registered(string Id, string Secret);

    public static async Task<Registered> RegisterAsync(HttpClient client, string url, string? track = "prisoners")
    {
        var body = new Dictionary<string, object?> { ["url"] = url, ["negotiation"] = "harbour-talks" };
        if (track is not null)
        {
            body["track"] = track;
        }

        var registered = await (await client.PostAsync("/api/webhooks", Sample.Json(body), Ct)).JsonAsync(HttpStatusCode.Created);
        return new Registered(registered.GetProperty("id").GetString()!, registered.GetProperty("secret").GetString()!);
    }

    /// <summary>Appends a proposal with a key of its own and answers its global sequence.</summary>
    public static async Task<long> AppendAsync(HttpClient client, string key)
    {
        var appended = await (await client.PostAsync("/api/developments", Sample.Json(Sample.Proposal(key: key)), Ct)).JsonAsync(HttpStatusCode.Created);
        return appended.GetProperty("claims")[0].GetProperty("sequence").GetInt64();
    }

    public static async Task<List<JsonElement>> DeliveriesAsync(HttpClient client, string id, string? status = null) =>
        [.. (await (await client.GetAsync($"/api/webhooks/{id}/deliveries" + (status is null ? "" : "?status=" + status), Ct)).JsonAsync(HttpStatusCode.OK)).EnumerateArray()];

    public static async Task<List<JsonElement>> DeliveriesUntilAsync(HttpClient client, string id, Func<List<JsonElement>, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        var deliveries = new List<JsonElement>();
        while (DateTime.UtcNow < deadline)
        {
            deliveries = await DeliveriesAsync(client, id);
            if (done(deliveries))
            {
                return deliveries;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail($"webhook {id}: {JsonSerializer.Serialize(deliveries)}");
        return deliveries;
    }

    public static string Status(this JsonElement delivery) => delivery.GetProperty("status").GetString()!;

    public static async Task UntilAsync(Func<bool> done, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {within.TotalSeconds:0} s: {what}");
            await Task.Delay(50, Ct);
        }
    }
}
