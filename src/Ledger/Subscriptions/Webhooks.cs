using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Ledger.Subscriptions;

/// <summary>
/// A subscriber's URL and filter; every matching development is POSTed to it, signed with its secret. The secret is
/// kept only in protected form (ASP.NET Core Data Protection); it is shown once, in the answer to the registration.
/// </summary>
public sealed record Webhook(Guid Id, string Url, string? NegotiationId, string? TrackId, string ProtectedSecret, string RegisteredBy, DateTimeOffset RegisteredAt);

/// <summary>A webhook as listed: everything but its secret.</summary>
public sealed record WebhookView(Guid Id, string Url, string? NegotiationId, string? TrackId, string RegisteredBy, DateTimeOffset RegisteredAt)
{
    public static WebhookView Of(Webhook w) => new(w.Id, w.Url, w.NegotiationId, w.TrackId, w.RegisteredBy, w.RegisteredAt);
}

public enum DeliveryStatus
{
    /// <summary>Enqueued and not yet accepted by the receiver: waiting for its first attempt or for a retry.</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>Every attempt failed: the message is in Wolverine's dead-letter storage until it is resent.</summary>
    DeadLettered,
}

/// <summary>One try: the answer's status (a 3xx is a failure and keeps its <c>Location</c>), or why there was no answer.</summary>
public sealed record DeliveryAttempt(int Attempt, int Round, DateTimeOffset At, int? StatusCode, string? Error, string? Location, long DurationMs);

/// <summary>
/// One development's delivery to one webhook, with every attempt. Document id and idempotency key:
/// <c>&lt;webhook&gt;:&lt;sequence&gt;</c>. Written <see cref="DeliveryStatus.Pending"/> in the transaction that
/// enqueues the delivery, and changed in the transaction that records each attempt. A resend starts a new
/// <see cref="Round"/> of attempts.
/// </summary>
public sealed record WebhookDelivery(
    string Id,
    Guid WebhookId,
    long Sequence,
    string DevelopmentKey,
    DeliveryStatus Status,
    IReadOnlyList<DeliveryAttempt> Attempts,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset? NextAttemptAt = null,
    int Round = 1,
    Guid? DeadLetterId = null)
{
    public static string KeyOf(Guid webhookId, long sequence) => $"{webhookId}:{sequence.ToString(CultureInfo.InvariantCulture)}";

    public static WebhookDelivery Pending(Guid webhookId, DevelopmentRecorded development, DateTimeOffset now) =>
        new(KeyOf(webhookId, development.Sequence), webhookId, development.Sequence, development.DevelopmentKey, DeliveryStatus.Pending, [], now, now);

    public int AttemptsThisRound => Attempts.Count(a => a.Round == Round);
}

/// <summary>The Wolverine message that carries one development to one webhook, through the durable local queue <c>webhooks</c>.</summary>
public sealed record DeliverWebhook(Guid WebhookId, DevelopmentRecorded Development);

/// <summary>
/// How webhooks are delivered (section <c>Ledger:Webhooks</c>): the pauses between attempts (attempts = pauses + 1,
/// then the delivery is dead-lettered), the HTTP timeout of one attempt, how many attempts to one webhook may run at
/// once, and how many deliveries in all.
/// </summary>
public sealed record WebhookSettings(IReadOnlyList<TimeSpan> RetryDelays, TimeSpan Timeout, int MaxConcurrentPerWebhook, int MaxParallelDeliveries, TimeSpan? PollingInterval)
{
    public const string SignatureHeader = "X-Ledger-Signature";
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string HttpClientName = "webhooks";
    public const string QueueName = "webhooks";
    public const string SecretPurpose = "Ledger.Webhooks.Secret";

    /// <summary>How long a delivery waits for its webhook's turn before it steps aside and is tried again later.</summary>
    public static readonly TimeSpan TurnWait = TimeSpan.FromSeconds(1);

    public int MaxAttempts => RetryDelays.Count + 1;

    public static WebhookSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration["Ledger:Webhooks:RetryDelaysMs"];
        var delays = string.IsNullOrWhiteSpace(text)
            ? [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)]
            : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(ms => TimeSpan.FromMilliseconds(int.Parse(ms, CultureInfo.InvariantCulture)))
                .ToArray();
        var polling = configuration.GetValue<int?>("Ledger:Webhooks:PollingMs");
        return new WebhookSettings(
            delays,
            TimeSpan.FromSeconds(Math.Max(0.1, configuration.GetValue("Ledger:Webhooks:TimeoutSeconds", 10.0))),
            Math.Max(1, configuration.GetValue("Ledger:Webhooks:MaxConcurrentPerWebhook", 4)),
            Math.Max(2, configuration.GetValue("Ledger:Webhooks:MaxParallelDeliveries", 20)),
            polling is > 0 ? TimeSpan.FromMilliseconds(polling.Value) : null);
    }

    /// <summary>The signature a receiver checks: <c>sha256=</c> and the hex HMAC-SHA256 of the exact body under the webhook's secret.</summary>
    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}

/// <summary>The last attempt failed: the delivery goes to Wolverine's dead-letter storage.</summary>
public sealed class WebhookDeliveryException(string message) : Exception(message);

/// <summary>
/// Limits how many attempts to one webhook run at once, so that a receiver that hangs until the timeout holds at
/// most that many of the queue's slots (and at most as many more waiting for its turn); deliveries to every other
/// webhook keep flowing.
/// </summary>
public sealed class WebhookGates(WebhookSettings settings)
{
    private readonly ConcurrentDictionary<Guid, Gate> _gates = new();

    /// <summary>A turn to deliver to <paramref name="webhookId"/>, or null when it is busy for longer than <see cref="WebhookSettings.TurnWait"/>.</summary>
    public async Task<IDisposable?> TryEnterAsync(Guid webhookId, CancellationToken ct)
    {
        var gate = _gates.GetOrAdd(webhookId, _ => new Gate(settings.MaxConcurrentPerWebhook));
        if (gate.Slots.Wait(0, CancellationToken.None))
        {
            return gate;
        }

        if (Interlocked.Increment(ref gate.Waiting) > settings.MaxConcurrentPerWebhook)
        {
            Interlocked.Decrement(ref gate.Waiting);
            return null;
        }

        try
        {
            return await gate.Slots.WaitAsync(WebhookSettings.TurnWait, ct) ? gate : null;
        }
        finally
        {
            Interlocked.Decrement(ref gate.Waiting);
        }
    }

    private sealed class Gate(int slots) : IDisposable
    {
        public readonly SemaphoreSlim Slots = new(slots, slots);
        public int Waiting;

        public void Dispose() => Slots.Release();
    }
}

/// <summary>What one attempt came to.</summary>
public sealed record DeliveryOutcome(int? StatusCode, string? Error, string? Location, long DurationMs)
{
    public bool Succeeded => Error is null;
}

/// <summary>POSTs one development to one webhook: signed, with its idempotency key, without following redirects.</summary>
public sealed class WebhookSender(IHttpClientFactory clients, IDataProtectionProvider protection)
{
    private readonly IDataProtector _secrets = protection.CreateProtector(WebhookSettings.SecretPurpose);

    public string Protect(string secret) => _secrets.Protect(secret);

    public string Unprotect(string protectedSecret) => _secrets.Unprotect(protectedSecret);

    public async Task<DeliveryOutcome> SendAsync(Webhook hook, DevelopmentRecorded development, int attempt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(development);
        string secret;
        try
        {
            secret = Unprotect(hook.ProtectedSecret ?? "");
        }
        catch (CryptographicException)
        {
            return new DeliveryOutcome(null, "the webhook's secret cannot be read with this server's keys; register the webhook again", null, 0);
        }

        var body = development.ToJsonLine();
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSettings.SignatureHeader, WebhookSettings.Sign(secret, body));
        request.Headers.Add(WebhookSettings.IdempotencyHeader, WebhookDelivery.KeyOf(hook.Id, development.Sequence));
        request.Headers.Add("X-Ledger-Event-Id", development.Sequence.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Ledger-Webhook", hook.Id.ToString());
        request.Headers.Add("X-Ledger-Attempt", attempt.ToString(CultureInfo.InvariantCulture));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Ledger", "1"));

        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await clients.CreateClient(WebhookSettings.HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            var location = response.Headers.Location?.ToString();
            return response.IsSuccessStatusCode
                ? new DeliveryOutcome(status, null, null, clock.ElapsedMilliseconds)
                : new DeliveryOutcome(status, status is >= 300 and < 400 ? $"the receiver answered {status} (redirects are not followed)" : $"the receiver answered {status}", location, clock.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var error = e is OperationCanceledException ? "no answer within the timeout" : (e as HttpRequestException)?.InnerException is WebhookTargetRefusedException refused ? refused.Message : e.Message;
            return new DeliveryOutcome(null, error, null, clock.ElapsedMilliseconds);
        }
    }
}

/// <summary>
/// Delivers one development to one webhook and records the attempt in the same transaction that schedules the
/// next one (Wolverine's Marten outbox): a failed attempt frees its slot at once instead of waiting in it.
/// </summary>
public static partial class DeliverWebhookHandler
{
    /// <summary>Database faults are the server's, not the receiver's: the delivery is tried again once the database answers, never dead-lettered.</summary>
    public static void Configure(HandlerChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        chain.OnException(WebhookFaults.IsDatabaseFault, "the database is unreachable")
            .ScheduleRetryIndefinitely(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
        chain.OnException<WebhookDeliveryException>().MoveToErrorQueue();
    }

    public static async Task Handle(
        DeliverWebhook message,
        Envelope envelope,
        IDocumentSession session,
        IDocumentStore store,
        IMessageContext bus,
        WebhookSender sender,
        WebhookGates gates,
        WebhookSettings settings,
        ILogger<WebhookSettings> logger,
        CancellationToken ct)
    {
        var development = message.Development;
        var hook = await session.LoadAsync<Webhook>(message.WebhookId, ct);
        if (hook is null)
        {
            return; // Unregistered since; its deliveries went with it.
        }

        var now = DateTimeOffset.UtcNow;
        var delivery = await session.LoadAsync<WebhookDelivery>(WebhookDelivery.KeyOf(hook.Id, development.Sequence), ct)
            ?? WebhookDelivery.Pending(hook.Id, development, now);
        switch (delivery.Status)
        {
            case DeliveryStatus.Delivered:
                return; // A duplicate of a delivery already accepted.
            case DeliveryStatus.DeadLettered:
                // Executed again after its move to dead-letter storage failed: it belongs there until resent.
                throw new WebhookDeliveryException($"Webhook {hook.Id} #{development.Sequence} is dead-lettered.");
        }

        using (var turn = await gates.TryEnterAsync(hook.Id, ct))
        {
            if (turn is null)
            {
                await bus.ReScheduleCurrentAsync(now + WebhookSettings.TurnWait);
                return;
            }

            var number = delivery.Attempts.Count + 1;
            var outcome = await sender.SendAsync(hook, development, number, ct);
            var attempt = new DeliveryAttempt(number, delivery.Round, DateTimeOffset.UtcNow, outcome.StatusCode, outcome.Error, outcome.Location, outcome.DurationMs);
            delivery = delivery with { Attempts = [.. delivery.Attempts, attempt] };
            if (outcome.Succeeded)
            {
                delivery = delivery with { Status = DeliveryStatus.Delivered, NextAttemptAt = null };
            }
            else if (delivery.AttemptsThisRound < settings.MaxAttempts)
            {
                var delay = settings.RetryDelays[delivery.AttemptsThisRound - 1];
                delivery = delivery with { NextAttemptAt = attempt.At + delay };
                await bus.ScheduleAsync(message, delay);
                LogFailed(logger, hook.Url, development.Sequence, delivery.AttemptsThisRound, settings.MaxAttempts, outcome.Error!, outcome.Location);
            }
            else
            {
                delivery = delivery with { Status = DeliveryStatus.DeadLettered, NextAttemptAt = null, DeadLetterId = envelope.Id };
                LogFailed(logger, hook.Url, development.Sequence, delivery.AttemptsThisRound, settings.MaxAttempts, outcome.Error!, outcome.Location);
            }
        }

        if (delivery.Status == DeliveryStatus.DeadLettered)
        {
            // Recorded outside the outbox so that the message itself is not marked handled: Wolverine moves it to
            // dead-letter storage, where a resend finds it.
            await using var log = store.LightweightSession();
            log.Store(delivery);
            await log.SaveChangesAsync(ct);
            throw new WebhookDeliveryException($"Webhook {hook.Id} ({hook.Url}) failed {settings.MaxAttempts} times for #{development.Sequence}: {delivery.Attempts[^1].Error}");
        }

        session.Store(delivery);
        await session.SaveChangesAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Url} failed for #{Sequence} (attempt {Attempt} of {Max}): {Error} {Location}")]
    private static partial void LogFailed(ILogger logger, string url, long sequence, int attempt, int max, string error, string? location);
}

public static class WebhookFaults
{
    /// <summary>Whether the failure (or one it wraps) is the database's: a connection refused or dropped, a server shutting down, a timeout.</summary>
    public static bool IsDatabaseFault(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException or SocketException or TimeoutException)
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsDatabaseFault))
            {
                return true;
            }
        }

        return false;
    }
}
