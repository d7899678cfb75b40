using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ledger.Subscriptions;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Tests.Http;

/// <summary>A server with small stream bounds: 100 developments buffered per client, 1 s per write, 4 streams at most.</summary>
public sealed class BoundedStreamsFixture(PostgresFixture postgres) : LedgerServerFixture(postgres)
{
    public const int MaxStreams = 4;

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings =>
    [
        new("Ledger:Streams:ClientBuffer", "100"),
        new("Ledger:Streams:WriteTimeoutSeconds", "1"),
        new("Ledger:Streams:MaxStreams", MaxStreams.ToString(CultureInfo.InvariantCulture)),
        new("Ledger:Streams:RetryAfterSeconds", "3"),
    ];
}

public sealed class SlowSubscriberTests(BoundedStreamsFixture server) : IClassFixture<BoundedStreamsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DevelopmentBroadcaster Broadcaster => server.App.Services.GetRequiredService<DevelopmentBroadcaster>();

    [Fact]
    public async Task Subscribers_that_stop_reading_are_cut_off_while_one_that_reads_gets_everything_and_reads_stay_prompt()
    {
        // Warm: the first read and append of a server compile their code.
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var appended = new List<long>(await AppendBatchAsync(alice, -1, 1));
        (await alice.GetAsync("/api/negotiations/harbour-talks/status", Ct)).Dispose();

        // Clients that send the request and never read again, with a tiny receive window so the server's writes stall soon.
        var stalled = new List<Socket>();
        for (var i = 0; i < 3; i++)
        {
            stalled.Add(await StalledStreamAsync());
        }

        await using var reading = await SseClient.ConnectAsync(server.BaseAddress, "/api/stream?negotiation=harbour-talks&from=end");
        await WaitForAsync(() => Broadcaster.ClientCount == 4, TimeSpan.FromSeconds(10), "the four clients joined");

        appended.Clear();
        var slowestRead = TimeSpan.Zero;
        var mostBuffered = 0;
        var stopwatch = Stopwatch.StartNew();
        for (var batch = 0; batch < 40 && Broadcaster.ClientCount > 1; batch++)
        {
            appended.AddRange(await AppendBatchAsync(alice, batch, 10));
            var read = Stopwatch.StartNew();
            using var status = await alice.GetAsync("/api/negotiations/harbour-talks/status", Ct);
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
            slowestRead = read.Elapsed > slowestRead ? read.Elapsed : slowestRead;
            mostBuffered = Math.Max(mostBuffered, Broadcaster.Buffered);
        }

        // The stalled ones are cut off a moment after their writes stall (an overflowing buffer or a 1 s write);
        // the reading client stays joined.
        await WaitForAsync(() => Broadcaster.ClientCount == 1, TimeSpan.FromSeconds(5), $"the stalled clients were cut off after {appended.Count} developments");
        var cutOffAfter = stopwatch.Elapsed;
        Assert.True(slowestRead < TimeSpan.FromSeconds(3), $"a status read took {slowestRead.TotalMilliseconds:N0} ms while subscribers stalled");

        // The server closed their connections: what it had sent drains, then the socket ends.
        foreach (var socket in stalled)
        {
            Assert.True(await ClosedByServerAsync(socket, TimeSpan.FromSeconds(5)), "the server closed a stalled client's connection");
            socket.Dispose();
        }

        // Nothing was lost for the client that kept reading, and nothing doubled.
        var received = (await reading.TakeAsync(appended.Count, TimeSpan.FromSeconds(20))).Select(m => long.Parse(m.Id!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(appended.Order(), received);

        // Memory held for subscribers is bounded while they stall and returned once they are gone: the buffers of
        // the clients cut off went with them, and the reader's drained.
        Assert.InRange(mostBuffered, 0, 4 * Broadcaster.Settings.ClientBuffer);
        await WaitForAsync(() => Broadcaster.Buffered == 0, TimeSpan.FromSeconds(5), "every buffered development was delivered or dropped with its client");
        TestContext.Current.SendDiagnosticMessage($"Stalled subscribers cut off {cutOffAfter.TotalSeconds:N1} s after appends began ({appended.Count} developments); slowest status read {slowestRead.TotalMilliseconds:N0} ms.");
    }

    [Fact]
    public async Task Streams_beyond_the_cap_are_answered_503_with_Retry_After_and_a_problem()
    {
        await WaitForAsync(() => Broadcaster.ClientCount == 0, TimeSpan.FromSeconds(10), "no stream was left from before");
        var streams = new List<SseClient>();
        try
        {
            for (var i = 0; i < BoundedStreamsFixture.MaxStreams; i++)
            {
                var stream = await SseClient.ConnectAsync(server.BaseAddress, "/api/stream?from=end");
                streams.Add(stream);
                Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
            }

            using var client = server.Client();
            using var refused = await client.GetAsync("/api/stream?from=end", HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), refused.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = System.Text.Json.JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)).RootElement;
            Assert.Equal(503, problem.GetProperty("status").GetInt32());
            Assert.Contains("streams", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

            // A place freed is a place taken.
            await streams[0].DisposeAsync();
            streams.RemoveAt(0);
            await WaitForAsync(() => Broadcaster.ClientCount == BoundedStreamsFixture.MaxStreams - 1, TimeSpan.FromSeconds(10), "a closed stream left");
            var again = await SseClient.ConnectAsync(server.BaseAddress, "/api/stream?from=end");
            streams.Add(again);
            Assert.Equal(HttpStatusCode.OK, again.Response.StatusCode);
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    private async Task<Socket> StalledStreamAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.BaseAddress.Port), Ct);
        var request = $"GET /api/stream?from=end HTTP/1.1\r\nHost: 127.0.0.1:{server.BaseAddress.Port}\r\nAccept: text/event-stream\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, Ct);
        return socket;
    }

    private static async Task<bool> ClosedByServerAsync(Socket socket, TimeSpan within)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(within);
        var buffer = new byte[64 * 1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true; // Reset by the server.
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Proposals with a long text (about 40 KB of JSON each), so that a few fill what the kernel buffers for a socket.</summary>
    private static async Task<IReadOnlyList<long>> AppendBatchAsync(HttpClient client, int batch, int count)
    {
        var text = string.Join(' ', Enumerable.Repeat("Exchange one hundred prisoners each, in stages, under the Isle's supervision.", 500));
        var developments = Enumerable.Range(0, count).Select(i =>
        {
            var development = ((Dictionary<string, object?>[])Sample.Proposal(key: $"stall-{batch}-{i}")["developments"]!)[0];
            development["text"] = text;
            return development;
        }).ToArray();
        var result = await (await client.PostAsync("/api/developments", Sample.Json(Sample.Developments(developments)), Ct)).JsonAsync(HttpStatusCode.Created);
        return [.. result.GetProperty("claims").EnumerateArray().Select(c => c.GetProperty("sequence").GetInt64())];
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(50, Ct);
        }
    }
}
