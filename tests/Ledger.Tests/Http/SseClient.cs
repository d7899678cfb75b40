using System.Text;
using System.Threading.Channels;

namespace Ledger.Tests.Http;

public sealed record SseMessage(string? Id, string? Event, string Data);

/// <summary>A minimal Server-Sent Events reader over a live HTTP response: messages and heartbeat comments.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseMessage> _messages = Channel.CreateUnbounded<SseMessage>();
    private readonly Task _reading;
    private int _heartbeats;

    private SseClient(HttpClient client, HttpResponseMessage response)
    {
        _client = client;
        _response = response;
        _reading = Task.Run(ReadAsync);
    }

    public int Heartbeats => Volatile.Read(ref _heartbeats);

    public HttpResponseMessage Response => _response;

    public static async Task<SseClient> ConnectAsync(Uri baseAddress, string path, string? lastEventId = null)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        return new SseClient(client, response);
    }

    /// <summary>The next message, or null when none comes within the time given.</summary>
    public async Task<SseMessage?> NextAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await _messages.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<SseMessage>> TakeAsync(int count, TimeSpan within)
    {
        var list = new List<SseMessage>();
        var deadline = DateTime.UtcNow + within;
        while (list.Count < count && DateTime.UtcNow < deadline)
        {
            if (await NextAsync(deadline - DateTime.UtcNow) is { } message)
            {
                list.Add(message);
            }
        }

        return list;
    }

    private async Task ReadAsync()
    {
        try
        {
            await using var stream = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string? id = null, type = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                    {
                        await _messages.Writer.WriteAsync(new SseMessage(id, type, data.ToString()));
                    }

                    id = null;
                    type = null;
                    data.Clear();
                }
                else if (line.StartsWith(':'))
                {
                    if (line.Contains("heartbeat", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref _heartbeats);
                    }
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line[4..];
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    type = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Append(line[6..]);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // Closed.
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        _client.Dispose();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
