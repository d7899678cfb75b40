using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.Extensions.Logging;
using Wolverine;

namespace Ledger.Subscriptions;

/// <summary>A subscriber's URL and filter; every matching development is POSTed to it, signed with its secret.</summary>
public sealed record Webhook(Guid Id, string Url, string? NegotiationId, string? TrackId, string Secret, string RegisteredBy, DateTimeOffset RegisteredAt);

/// <summary>A webhook as listed: everything but its secret.</summary>
public sealed record WebhookView(Guid Id, string Url, string? NegotiationId, string? TrackId, string RegisteredBy, DateTimeOffset RegisteredAt)
{
    public static WebhookView Of(Webhook w) => new(w.Id, w.Url, w.NegotiationId, w.TrackId, w.RegisteredBy, w.RegisteredAt);
}

public enum DeliveryStatus
{
    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>The last attempt failed; Wolverine will try again after a pause.</summary>
    Retrying,

    /// <summary>Every attempt failed: the message is in Wolverine's dead-letter storage.</summary>
    DeadLettered,
}

public sealed record DeliveryAttempt(int Attempt, DateTimeOffset At, int? StatusCode, string? Error);

/// <summary>One development's delivery to one webhook, with every attempt. Document id: <c>&lt;webhook&gt;:&lt;sequence&gt;</c>.</summary>
public sealed record WebhookDelivery(string Id, Guid WebhookId, long Sequence, string DevelopmentKey, DeliveryStatus Status, IReadOnlyList<DeliveryAttempt> Attempts);

/// <summary>The Wolverine message that carries one development to one webhook, through the durable local queue.</summary>
public sealed record DeliverWebhook(Guid WebhookId, DevelopmentRecorded Development);

/// <summary>How long to wait between attempts; attempts = pauses + 1, then the message is dead-lettered.</summary>
public sealed record WebhookSettings(IReadOnlyList<TimeSpan> RetryDelays)
{
    public const string SignatureHeader = "X-Ledger-Signature";
    public const string HttpClientName = "webhooks";

    public int MaxAttempts => RetryDelays.Count + 1;

    public static WebhookSettings From(IConfiguration configuration)
    {
        var text = configuration["Ledger:Webhooks:RetryDelaysMs"];
        var delays = string.IsNullOrWhiteSpace(text)
            ? [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)]
            : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(ms => TimeSpan.FromMilliseconds(int.Parse(ms, CultureInfo.InvariantCulture)))
                .ToArray();
        return new WebhookSettings(delays);
    }

    /// <summary>The signature a receiver checks: <c>sha256=</c> and the hex HMAC-SHA256 of the exact body under the webhook's secret.</summary>
    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}

public sealed class WebhookDeliveryException(string message) : Exception(message);

/// <summary>Delivers one development to one webhook; a failure is thrown so that Wolverine's error policy retries it.</summary>
public static partial class DeliverWebhookHandler
{
    public static async Task Handle(
        DeliverWebhook message,
        Envelope envelope,
        IDocumentStore store,
        IHttpClientFactory clients,
        WebhookSettings settings,
        ILogger<WebhookSettings> logger,
        CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var hook = await session.LoadAsync<Webhook>(message.WebhookId, ct);
        if (hook is null)
        {
            return; // Unregistered since.
        }

        var body = message.Development.ToJsonLine();
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSettings.SignatureHeader, WebhookSettings.Sign(hook.Secret, body));
        request.Headers.Add("X-Ledger-Event-Id", message.Development.Sequence.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Ledger-Webhook", hook.Id.ToString());
        request.Headers.Add("X-Ledger-Attempt", envelope.Attempts.ToString(CultureInfo.InvariantCulture));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Ledger", "1"));

        int? status = null;
        string? error = null;
        try
        {
            using var response = await clients.CreateClient(WebhookSettings.HttpClientName).SendAsync(request, ct);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                error = $"the receiver answered {status}";
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            error = e.Message;
        }

        var id = $"{hook.Id}:{message.Development.Sequence}";
        var previous = await session.LoadAsync<WebhookDelivery>(id, ct);
        var last = error is not null && envelope.Attempts >= settings.MaxAttempts;
        var delivery = new WebhookDelivery(
            id,
            hook.Id,
            message.Development.Sequence,
            message.Development.DevelopmentKey,
            error is null ? DeliveryStatus.Delivered : last ? DeliveryStatus.DeadLettered : DeliveryStatus.Retrying,
            [.. previous?.Attempts ?? [], new DeliveryAttempt(envelope.Attempts, DateTimeOffset.UtcNow, status, error)]);
        session.Store(delivery);
        await session.SaveChangesAsync(ct);
        if (error is not null)
        {
            LogFailed(logger, hook.Url, message.Development.Sequence, envelope.Attempts, settings.MaxAttempts, error);
            throw new WebhookDeliveryException($"Webhook {hook.Id} ({hook.Url}) failed for #{message.Development.Sequence}: {error}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Url} failed for #{Sequence} (attempt {Attempt} of {Max}): {Error}")]
    private static partial void LogFailed(ILogger logger, string url, long sequence, int attempt, int max, string error);
}
