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
/// matching webhooks as <see cref="DeliverWebhook"/> messages (cascaded through Wolverine's durable local queue).
/// Another service subscribes the same way by configuration: route the message to a broker
/// (<c>opts.PublishMessage&lt;DevelopmentRecorded&gt;().To...</c>).
/// </summary>
public static partial class DevelopmentRecordedHandler
{
    public static async Task<Wolverine.OutgoingMessages> Handle(
        DevelopmentRecorded message,
        RecordedMessageLog log,
        Marten.IDocumentStore store,
        ILogger<RecordedMessageLog> logger,
        CancellationToken ct)
    {
        log.Saw(message);
        LogRecorded(logger, message.Sequence, message.Kind, message.NegotiationId, message.TrackId, message.RecordedBy);
        await using var session = store.QuerySession();
        var hooks = await session.Query<Webhook>().ToListAsync(ct);
        var outgoing = new Wolverine.OutgoingMessages();
        foreach (var hook in hooks.Where(h => message.Matches(h.NegotiationId, h.TrackId)))
        {
            outgoing.Add(new DeliverWebhook(hook.Id, message));
        }

        return outgoing;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Development #{Sequence} {Kind} on {Negotiation}/{Track} recorded by {Writer}")]
    private static partial void LogRecorded(ILogger logger, long sequence, string kind, string negotiation, string track, string? writer);
}
