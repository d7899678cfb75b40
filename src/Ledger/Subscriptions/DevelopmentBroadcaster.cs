using System.Threading.Channels;

namespace Ledger.Subscriptions;

/// <summary>
/// Fans recorded developments out to the connected stream clients, in the order the event store gives them.
/// A client that falls too far behind is cut off (its channel completes with an error) and resumes with
/// <c>Last-Event-ID</c>, so nothing is lost even then.
/// </summary>
public sealed class DevelopmentBroadcaster
{
    public const int ClientBuffer = 10_000;

    private readonly Lock _gate = new();
    private readonly List<Channel<DevelopmentRecorded>> _clients = [];
    private long _lastSequence;

    /// <summary>The highest sequence broadcast so far: every event up to it has been committed and handed out.</summary>
    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _lastSequence;
            }
        }
    }

    public int ClientCount
    {
        get
        {
            lock (_gate)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>Starts buffering for a client. Returns the reader and the last sequence broadcast before it joined.</summary>
    public (ChannelReader<DevelopmentRecorded> Reader, long JoinedAfter, IDisposable Leave) Join()
    {
        var channel = Channel.CreateBounded<DevelopmentRecorded>(new BoundedChannelOptions(ClientBuffer)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        lock (_gate)
        {
            _clients.Add(channel);
            return (channel.Reader, _lastSequence, new Leaving(this, channel));
        }
    }

    /// <summary>Hands a development to every client; one seen before (a retried batch) is not handed out twice.</summary>
    public void Publish(DevelopmentRecorded development)
    {
        lock (_gate)
        {
            if (development.Sequence <= _lastSequence)
            {
                return;
            }

            _lastSequence = development.Sequence;
            foreach (var client in _clients.ToArray())
            {
                if (!client.Writer.TryWrite(development))
                {
                    client.Writer.TryComplete(new InvalidOperationException("The client fell too far behind; reconnect with Last-Event-ID."));
                    _clients.Remove(client);
                }
            }
        }
    }

    private sealed class Leaving(DevelopmentBroadcaster owner, Channel<DevelopmentRecorded> channel) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._clients.Remove(channel);
            }

            channel.Writer.TryComplete();
        }
    }
}
