using System.Globalization;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Ledger.Infrastructure.Http;
using Marten;
using Microsoft.AspNetCore.Http.Features;
using Wolverine.Http;

using Microsoft.AspNetCore.Mvc;
namespace Ledger.Subscriptions;

/// <summary>How often an idle stream sends a comment line to keep proxies and clients from closing it.</summary>
public sealed record StreamSettings(TimeSpan Heartbeat);

/// <summary>
/// Server-Sent Events: <c>GET /api/stream?negotiation=&amp;track=&amp;from=</c>. Replays the recorded developments
/// after <c>from</c> (or the <c>Last-Event-ID</c> header; both exclusive; 0 = from the beginning, <c>end</c> = only new ones), then sends new
/// ones live, in global sequence order. Each message is <c>id: &lt;sequence&gt;</c>, <c>event: development</c> and
/// one line of JSON. The client joins the live feed before the replay query, and every message is sent only if its
/// sequence is past the last one sent, so the hand-over loses nothing and doubles nothing.
/// </summary>
[Tags("Subscriptions")]
public static class StreamEndpoint
{
    private const int PageSize = 500;

    [WolverineGet("/api/stream", OperationId = "streamDevelopments", Summary = "Stream developments as they are recorded (Server-Sent Events)")]
    [ProducesResponseType<string>(200, "text/event-stream")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    public static async Task Stream(
        HttpContext context,
        string? negotiation,
        string? track,
        string? from,
        IDocumentStore store,
        DevelopmentBroadcaster broadcaster,
        StreamSettings settings)
    {
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

        var (reader, joinedAfter, leave) = broadcaster.Join();
        using (leave)
        {
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            try
            {
                // Replay: everything committed up to what the live feed has covered (or the daemon's high-water mark,
                // below which no transaction is still in flight). Whatever comes later arrives through the live feed.
                var bound = Math.Max(joinedAfter, await HighWaterMarkAsync(store, ct));
                var sent = onlyNew ? bound : after;

                // The position the replay ends at, so a client that asked for only new developments can resume from it.
                await context.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"retry: 2000\n: connected; replaying ({sent}, {bound}], then live\n\n"), ct);
                await context.Response.Body.FlushAsync(ct);
                await using (var session = store.QuerySession())
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
                                await WriteAsync(context, recorded, ct);
                            }

                            sent = e.Sequence;
                        }

                        await context.Response.Body.FlushAsync(ct);
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
                        await context.Response.WriteAsync(": heartbeat\n\n", ct);
                        await context.Response.Body.FlushAsync(ct);
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
                            await WriteAsync(context, recorded, ct);
                        }

                        sent = Math.Max(sent, recorded.Sequence);
                    }

                    await context.Response.Body.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The client went away.
            }
            catch (InvalidOperationException) when (reader.Completion.IsFaulted)
            {
                // Fell too far behind: closing makes the client reconnect with Last-Event-ID.
            }
        }
    }

    private static Task WriteAsync(HttpContext context, DevelopmentRecorded recorded, CancellationToken ct) =>
        context.Response.WriteAsync(
            string.Create(CultureInfo.InvariantCulture, $"id: {recorded.Sequence}\nevent: development\ndata: {recorded.ToJsonLine()}\n\n"),
            ct);

    /// <summary>The async daemon's high-water mark: every event at or below it is committed (or will never be).</summary>
    public static async Task<long> HighWaterMarkAsync(IDocumentStore store, CancellationToken ct)
    {
        var progress = await store.Advanced.AllProjectionProgress(token: ct);
        return progress.FirstOrDefault(p => p.ShardName == ShardState.HighWaterMark)?.Sequence ?? 0;
    }
}
