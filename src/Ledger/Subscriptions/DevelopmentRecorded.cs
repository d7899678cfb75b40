using System.Text.Json;
using JasperFx.Events;
using Ledger.Domain.Developments;
using Ledger.Infrastructure;
using Marten;
using Microsoft.Extensions.Logging;

namespace Ledger.Subscriptions;

/// <summary>
/// A development as recorded in the ledger, with its place in the global order (<see cref="Sequence"/>, the
/// Server-Sent Events id) and who recorded it. Published as a Wolverine message for every appended claim, and
/// the data of every <c>event: development</c> on <c>/api/stream</c>.
/// </summary>
public sealed record DevelopmentRecorded(
    long Sequence,
    Guid EventId,
    string StreamKey,
    long Version,
    DateTimeOffset RecordedAt,
    string? RecordedBy,
    string NegotiationId,
    string TrackId,
    string DevelopmentKey,
    Guid ClaimId,
    string Kind,
    string Summary,
    string SourceId,
    string Occurred,
    DateOnly Published,
    Development Development)
{
    /// <summary>Compact JSON (one line, as an SSE data field needs) in the CLI's JSON shape.</summary>
    public static readonly JsonSerializerOptions LineOptions = new(Json.Options) { WriteIndented = false };

    public static DevelopmentRecorded? From(IEvent e)
    {
        if (e.Data is not Development development)
        {
            return null;
        }

        var claim = development.Claim;
        return new DevelopmentRecorded(
            e.Sequence,
            e.Id,
            e.StreamKey ?? "",
            e.Version,
            e.Timestamp,
            e.UserName,
            claim.NegotiationId,
            claim.TrackId,
            claim.DevelopmentKey,
            claim.ClaimId,
            development.Kind,
            development.Summary,
            claim.Provenance.SourceId,
            claim.Provenance.Occurred.ToString(),
            claim.Provenance.Published,
            development);
    }

    public bool Matches(string? negotiationId, string? trackId) =>
        (string.IsNullOrEmpty(negotiationId) || NegotiationId == negotiationId)
        && (string.IsNullOrEmpty(trackId) || TrackId == trackId);

    public string ToJsonLine() => JsonSerializer.Serialize(this, LineOptions);
}

/// <summary>What the in-process Wolverine handler has seen: proof, and a place to hang more, that the messages flow.</summary>
public sealed class RecordedMessageLog
{
    private long _count;
    private long _lastSequence;

    public long Count => Interlocked.Read(ref _count);

    public long LastSequence => Interlocked.Read(ref _lastSequence);

    public void Saw(DevelopmentRecorded message)
    {
        Interlocked.Increment(ref _count);
        Interlocked.Exchange(ref _lastSequence, Math.Max(LastSequence, message.Sequence));
    }
}

/// <summary>
/// The in-process subscriber to <see cref="DevelopmentRecorded"/>: it notes the message and fans it out to the
/// matching webhooks: for each, a <see cref="WebhookDelivery"/> recorded pending and a <see cref="DeliverWebhook"/>
/// message, committed in one transaction with the message marked handled (Wolverine's Marten outbox), so a delivery
/// is never enqueued without its record nor recorded without being enqueued.
/// Another service subscribes the same way by configuration: route the message to a broker
/// (<c>opts.PublishMessage&lt;DevelopmentRecorded&gt;().To...</c>).
/// </summary>
public static partial class DevelopmentRecordedHandler
{
    /// <summary>A database fault is retried until the database answers: a development is never dead-lettered for it.</summary>
    public static void Configure(Wolverine.Runtime.Handlers.HandlerChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        Wolverine.ErrorHandling.ErrorHandlingPolicyExtensions.OnException(chain, WebhookFaults.IsDatabaseFault, "the database is unreachable")
            .ScheduleRetryIndefinitely(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
    }

    public static async Task Handle(
        DevelopmentRecorded message,
        RecordedMessageLog log,
        IDocumentSession session,
        Wolverine.IMessageContext bus,
        ILogger<RecordedMessageLog> logger,
        CancellationToken ct)
    {
        LogRecorded(logger, message.Sequence, message.Kind, message.NegotiationId, message.TrackId, message.RecordedBy);
        var hooks = (await session.Query<Webhook>().ToListAsync(ct)).Where(h => message.Matches(h.NegotiationId, h.TrackId)).ToList();
        if (hooks.Count > 0)
        {
            // Handled before (its transaction committed but the message ran again): what is recorded stays as it is.
            var recorded = (await session.LoadManyAsync<WebhookDelivery>(ct, hooks.Select(h => WebhookDelivery.KeyOf(h.Id, message.Sequence)).ToArray()))
                .Select(d => d.WebhookId)
                .ToHashSet();
            var now = DateTimeOffset.UtcNow;
            foreach (var hook in hooks.Where(h => !recorded.Contains(h.Id)))
            {
                session.Store(WebhookDelivery.Pending(hook.Id, message, now));
                await bus.PublishAsync(new DeliverWebhook(hook.Id, message));
            }
        }

        await session.SaveChangesAsync(ct);
        log.Saw(message);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Development #{Sequence} {Kind} on {Negotiation}/{Track} recorded by {Writer}")]
    private static partial void LogRecorded(ILogger logger, long sequence, string kind, string negotiation, string track, string? writer);
}
