using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Ledger.Infrastructure.Http;
using Ledger.Bench.Corpus;
using Marten;
using Microsoft.Extensions.Logging;

namespace Ledger.Bench;

/// <summary>
/// B2 and B3 over HTTP: the ledger's own server (<c>ledger serve</c>, hosted in this process on a loopback port,
/// over the bench schema) receiving one development per request, and a live SSE subscriber on <c>/api/stream</c>.
/// </summary>
public sealed class HttpWorkloads(string connectionString, string schema, NegotiationSpec negotiation, bool notify = false) : IAsyncDisposable
{
    private const string Key = "bench-key-0123456789";
    private const string SourceId = "bench-http-source";
    private Microsoft.AspNetCore.Builder.WebApplication? _app;
    private HttpClient _http = null!;
    private string[] _sentences = [];
    private int _next;

    public int Next { get => _next; set => _next = value; }

    public async Task StartAsync(int appends, CancellationToken ct)
    {
        var port = FreePort();
        _app = LedgerServer.Build(
            ["--urls", $"http://127.0.0.1:{port}"],
            new ServerStore(connectionString, schema),
            builder =>
            {
                builder.Configuration["LEDGER_API_KEYS"] = $"bench={Key}";
                builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
                if (notify)
                {
                    // The candidate core change, applied from outside: the daemon (and so the feed) woken by NOTIFY.
                    Marten.MartenServiceCollectionExtensions.ConfigureMarten(builder.Services, (StoreOptions o) => o.Events.UseListenNotifyForEventAppends = true);
                }
            });
        await _app.StartAsync(ct);
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        // One registered source whose sentences are the quotes of every append.
        _sentences = [.. Enumerable.Range(0, appends).Select(i => $"Delegates of {negotiation.Parties[i % negotiation.Parties.Count].Name} restated their position at press briefing number {i:000000} today.")];
        var text = string.Join(' ', _sentences);
        var body = $"""
            id: {SourceId}
            outlet: "Bench Wire"
            title: "Bench briefings"
            published: 2024-01-10
            language: en
            text: {CorpusWriter.Q(text)}
            """;
        using var response = await _http.PostAsync(new Uri("/api/sources", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/yaml"), ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/sources answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Appends one development (a position statement quoting the next unused sentence); returns its key.</summary>
    public async Task<string> AppendAsync(int stream, CancellationToken ct)
    {
        var n = Interlocked.Increment(ref _next) - 1;
        var key = $"http-{n:000000}";
        var track = negotiation.Tracks[stream % Math.Min(4, negotiation.Tracks.Count)].Id;
        var body = $"""
            negotiation: {negotiation.Id}
            developments:
              - key: {key}
                track: {track}
                kind: position-stated
                occurred: "2024-01-10"
                party: {negotiation.Parties[n % negotiation.Parties.Count].Id}
                topic: ceasefire
                position: "Restated"
                reports:
                  - source: {SourceId}
                    quote: {CorpusWriter.Q(_sentences[n])}
            """;
        using var response = await _http.PostAsync(new Uri("/api/developments", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/yaml"), ct);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /api/developments answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }

        if (response.Headers.TryGetValues(Ledger.Infrastructure.Http.ServerTiming.Header, out var timings))
        {
            ServerTimings.Enqueue(ServerTimingHeader.Parse(string.Join(", ", timings)));
        }

        return key;
    }

    /// <summary>The <c>Server-Timing</c> phases of every append answered, in milliseconds.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<Dictionary<string, double>> ServerTimings { get; } = new();

    /// <summary>B2: one development per request, from <paramref name="clients"/> concurrent clients.</summary>
    public async Task<(Samples Latency, double PerSecond)> AppendLoadAsync(int clients, int perClient, TimeSpan budget, CancellationToken ct)
    {
        for (var i = 0; i < 3; i++)
        {
            await AppendAsync(0, ct);
        }

        var samples = new Samples();
        var watch = Stopwatch.StartNew();
        var locals = await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(
            async () =>
            {
                var local = new Samples();
                for (var i = 0; i < perClient && watch.Elapsed < budget; i++)
                {
                    await local.TimeAsync(() => AppendAsync(c, ct));
                }

                return local;
            },
            ct)));
        var perSecond = locals.Sum(l => l.Count) / watch.Elapsed.TotalSeconds;
        foreach (var value in locals.SelectMany(l => l.Values))
        {
            samples.Add(value);
        }

        return (samples, perSecond);
    }

    /// <summary>B3: from the POST of a development to its arrival on a live <c>/api/stream</c> subscriber.</summary>
    public async Task<Samples> SseLatencyAsync(int count, Random rng, CancellationToken ct)
    {
        using var stream = new HttpClient { BaseAddress = _http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/stream?from=end");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await stream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(body);
        var arrived = new Dictionary<string, TaskCompletionSource>(StringComparer.Ordinal);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pump = Task.Run(
            async () =>
            {
                try
                {
                    while (await reader.ReadLineAsync(stop.Token) is { } line)
                    {
                        if (!line.StartsWith("data:", StringComparison.Ordinal))
                        {
                            continue;
                        }

                        var at = line.IndexOf("\"developmentKey\":\"", StringComparison.Ordinal);
                        if (at < 0)
                        {
                            continue;
                        }

                        var start = at + "\"developmentKey\":\"".Length;
                        var key = line[start..line.IndexOf('"', start)];
                        lock (arrived)
                        {
                            if (arrived.TryGetValue(key, out var done))
                            {
                                done.TrySetResult();
                            }
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            },
            ct);

        var samples = new Samples();
        for (var i = 0; i < count + 2; i++)
        {
            var n = Volatile.Read(ref _next);
            var key = $"http-{n:000000}";
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (arrived)
            {
                arrived[key] = done;
            }

            var watch = Stopwatch.StartNew();
            var appended = await AppendAsync(0, ct);
            if (appended != key)
            {
                throw new InvalidOperationException("appends raced");
            }

            await done.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            if (i >= 2)
            {
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }

            await Task.Delay(rng.Next(50, 300), ct);
        }

        await stop.CancelAsync();
        try
        {
            await pump;
        }
        catch (IOException)
        {
        }

        return samples;
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            try
            {
                await _app.StopAsync(CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
            }

            await _app.DisposeAsync();
        }
    }
}
