using Ledger.Infrastructure;
using System.Globalization;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Ledger.Infrastructure.Http;
using Marten;
using Microsoft.AspNetCore.Http.Features;
using Wolverine.Http;

using Microsoft.AspNetCore.Mvc;
namespace Ledger.Subscriptions;

/// <summary>
/// Server-Sent Events: <c>GET /api/stream?negotiation=&amp;track=&amp;from=</c>. Replays the recorded developments
/// after <c>from</c> (or the <c>Last-Event-ID</c> header; both exclusive; 0 = from the beginning, <c>end</c> = only new ones), then sends new
/// ones live, in global sequence order. Each message is <c>id: &lt;sequence&gt;</c>, <c>event: development</c> and
/// one line of JSON. The client joins the live feed before the replay query, and every message is sent only if its
/// sequence is past the last one sent, so the hand-over loses nothing and doubles nothing. A client that falls
/// behind (its buffer overflows, or a write to it does not complete in time) is disconnected and resumes with
/// <c>Last-Event-ID</c>; beyond the node's stream cap a request is answered 503 with <c>Retry-After</c>.
/// </summary>
[Tags("Subscriptions")]
public static class StreamEndpoint
{
    private const int PageSize = 500;

    [WolverineGet("/api/stream", OperationId = "streamDevelopments", Summary = "Stream developments as they are recorded (Server-Sent Events)")]
    [ProducesResponseType<string>(200, "text/event-stream")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(503, "application/problem+json")]
    public static async Task Stream(
        HttpContext context,
        string? negotiation,
        string? track,
        string? from,
        IDocumentStore store,
        DevelopmentBroadcasts broadcasts,
        StreamSettings settings)
    {
        if (broadcasts.Partitioning.IsPartitioned && string.IsNullOrWhiteSpace(negotiation))
        {
            await Problems.Field("negotiation", "is required: this ledger is partitioned over several databases, and stream positions are per database").ExecuteAsync(context);
            return;
        }

        var broadcaster = broadcasts.For(negotiation);
        var ct = context.RequestAborted;
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        var position = string.IsNullOrWhiteSpace(lastEventId) ? from : lastEventId;
        long after = 0;
        var onlyNew = string.Equals(position, "end", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(position) && !onlyNew
            && (!long.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
        {
            var field = string.IsNullOrWhiteSpace(lastEventId) ? "from" : "Last-Event-ID";
            await Problems.Field(field, $"'{position}' is not a stream position (a whole number, 0 for the beginning)").ExecuteAsync(context);
            return;
        }

        // A node that has only just started may not yet know where its follower starts; a client told a position
        // before that could miss what lies between. The wait is short: the follower reads one row to start.
        if (!broadcaster.Started.IsCompleted)
        {
            try
            {
                await broadcaster.Started.WaitAsync(settings.RetryAfter, ct);
            }
            catch (TimeoutException)
            {
                await UnavailableAsync(context, settings, "Stream starting", "The live stream of this node is starting; try again shortly.");
                return;
            }
        }

        using var subscriber = broadcaster.Join();
        if (subscriber is null)
        {
            await UnavailableAsync(context, settings, "Too many streams", $"This node serves its most streams ({settings.MaxStreams:N0}) already; try again shortly or another node.");
            return;
        }

        var reader = subscriber.Reader;
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var output = new Output(context, settings.WriteTimeout, ct);
        try
        {
            // Replay: everything committed up to what the live feed has covered (or the daemon's high-water mark,
            // below which no transaction is still in flight). Whatever comes later arrives through the live feed.
            var bound = Math.Max(subscriber.JoinedAfter, await HighWaterMarkAsync(store, negotiation, ct));
            var sent = onlyNew ? bound : after;

            // The position the replay ends at, so a client that asked for only new developments can resume from it.
            output.Append(string.Create(CultureInfo.InvariantCulture, $"retry: 2000\n: connected; replaying ({sent}, {bound}], then live\n\n"));
            await output.SendAsync();
            await using (var session = store.QuerySessionFor(negotiation))
            {
                while (sent < bound)
                {
                    var floor = sent;
                    var page = await session.Events.QueryAllRawEvents()
                        .Where(e => e.Sequence > floor && e.Sequence <= bound)
                        .OrderBy(e => e.Sequence)
                        .Take(PageSize)
                        .ToListAsync(ct);
                    if (page.Count == 0)
                    {
                        break;
                    }

                    foreach (var e in page)
                    {
                        if (DevelopmentRecorded.From(e) is { } recorded && recorded.Matches(negotiation, track))
                        {
                            output.Append(Message(recorded));
                        }

                        sent = e.Sequence;
                    }

                    await output.SendAsync();
                }

                sent = Math.Max(sent, bound);
            }

            // Live, with a heartbeat comment whenever nothing has been sent for a while.
            Task<bool>? waiting = null;
            while (!ct.IsCancellationRequested)
            {
                waiting ??= reader.WaitToReadAsync(ct).AsTask();
                var finished = await Task.WhenAny(waiting, Task.Delay(settings.Heartbeat, ct));
                if (finished != waiting)
                {
                    output.Append(": heartbeat\n\n");
                    await output.SendAsync();
                    continue;
                }

                if (!await waiting)
                {
                    break;
                }

                waiting = null;
                while (reader.TryRead(out var recorded))
                {
                    if (recorded.Sequence > sent && recorded.Matches(negotiation, track))
                    {
                        output.Append(Message(recorded));
                    }

                    sent = Math.Max(sent, recorded.Sequence);
                }

                await output.SendAsync();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (SubscriberCutOffException)
        {
            // Fell too far behind: closing makes the client reconnect with Last-Event-ID.
        }
        catch (WriteTimedOutException)
        {
            // A client that does not take what is sent holds the server's buffers for as long as its connection
            // lives: dropping the connection frees them, and the client resumes with Last-Event-ID.
            StreamMetrics.CutOff.Add(1, new KeyValuePair<string, object?>("reason", "write_timeout"));
            context.Abort();
        }
    }

    private static string Message(DevelopmentRecorded recorded) =>
        string.Create(CultureInfo.InvariantCulture, $"id: {recorded.Sequence}\nevent: development\ndata: {recorded.ToJsonLine()}\n\n");

    private static async Task UnavailableAsync(HttpContext context, StreamSettings settings, string title, string detail)
    {
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(settings.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, title, detail);
    }

    /// <summary>The async daemon's high-water mark: every event at or below it is committed (or will never be).</summary>
    public static async Task<long> HighWaterMarkAsync(IDocumentStore store, string? negotiationId, CancellationToken ct)
    {
        var tenant = Partitioning.Of(store).TenantOf(negotiationId);
        var progress = await store.Advanced.AllProjectionProgress(tenant == JasperFx.StorageConstants.DefaultTenantId ? null : tenant, ct);
        return progress.FirstOrDefault(p => p.ShardName == ShardState.HighWaterMark)?.Sequence ?? 0;
    }

    /// <summary>
    /// What is due to one client, sent in one write and flush that must complete within the write timeout: a client
    /// that stops reading fills the socket, and the write then waits for it for as long as it lives.
    /// </summary>
    private sealed class Output(HttpContext context, TimeSpan timeout, CancellationToken aborted)
    {
        private readonly System.Text.StringBuilder _pending = new();

        public void Append(string text) => _pending.Append(text);

        public async Task SendAsync()
        {
            if (_pending.Length == 0)
            {
                return;
            }

            var text = _pending.ToString();
            _pending.Clear();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            deadline.CancelAfter(timeout);
            try
            {
                await context.Response.WriteAsync(text, deadline.Token);
                await context.Response.Body.FlushAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
            {
                throw new WriteTimedOutException();
            }
        }
    }

    private sealed class WriteTimedOutException : Exception;
}
