using System.Threading.Channels;

namespace Ledger.Subscriptions;

/// <summary>
/// Fans the developments this node's <see cref="DevelopmentFollower"/> reads out to the node's stream clients, in
/// global sequence order. Each client has a small buffer (<see cref="StreamSettings.ClientBuffer"/>); a client
/// whose buffer overflows is cut off (its channel completes with <see cref="SubscriberCutOffException"/>) and
/// resumes with <c>Last-Event-ID</c>, so nothing is lost even then. At most <see cref="StreamSettings.MaxStreams"/>
/// clients are joined at once.
/// </summary>
public sealed class DevelopmentBroadcaster(StreamSettings settings)
{
    private readonly Lock _gate = new();
    private readonly List<Channel<DevelopmentRecorded>> _clients = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastSequence;

    public StreamSettings Settings { get; } = settings;

    /// <summary>
    /// Completes once the follower knows where it starts: a client that joined earlier could be told a position the
    /// follower then starts past, and miss what lies between.
    /// </summary>
    public Task Started => _started.Task;

    /// <summary>The highest sequence handed out so far: every event up to it has been committed and broadcast.</summary>
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

    /// <summary>
    /// Developments waiting in clients' buffers: at most <see cref="StreamSettings.ClientBuffer"/> a client, and none
    /// held for a client once it has left or been cut off.
    /// </summary>
    public int Buffered
    {
        get
        {
            lock (_gate)
            {
                return _clients.Sum(c => c.Reader.Count);
            }
        }
    }

    /// <summary>The follower starts after <paramref name="position"/>: everything up to it is for clients to replay.</summary>
    public void Start(long position)
    {
        lock (_gate)
        {
            _lastSequence = Math.Max(_lastSequence, position);
        }

        _started.TrySetResult();
    }

    /// <summary>
    /// Starts buffering for a client. Returns the reader and the last sequence broadcast before it joined, or null
    /// when <see cref="StreamSettings.MaxStreams"/> clients are already joined.
    /// </summary>
    public Subscriber? Join()
    {
        var channel = Channel.CreateBounded<DevelopmentRecorded>(new BoundedChannelOptions(Settings.ClientBuffer)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        lock (_gate)
        {
            if (_clients.Count >= Settings.MaxStreams)
            {
                StreamMetrics.Refused.Add(1);
                return null;
            }

            _clients.Add(channel);
            StreamMetrics.Active.Add(1);
            return new Subscriber(this, channel, _lastSequence);
        }
    }

    /// <summary>Hands a development to every client; one seen before is not handed out twice.</summary>
    public void Publish(DevelopmentRecorded development)
    {
        ArgumentNullException.ThrowIfNull(development);
        lock (_gate)
        {
            if (development.Sequence <= _lastSequence)
            {
                return;
            }

            _lastSequence = development.Sequence;
            for (var i = _clients.Count - 1; i >= 0; i--)
            {
                var client = _clients[i];
                if (!client.Writer.TryWrite(development))
                {
                    // A full buffer means the client reads slower than developments are recorded: holding more for
                    // it only grows memory, while a reconnect with Last-Event-ID replays what it missed from the store.
                    client.Writer.TryComplete(new SubscriberCutOffException($"The client fell more than {Settings.ClientBuffer} developments behind; reconnect with Last-Event-ID."));
                    _clients.RemoveAt(i);
                    StreamMetrics.Active.Add(-1);
                    StreamMetrics.CutOff.Add(1, new KeyValuePair<string, object?>("reason", "overflow"));
                }
            }
        }
    }

    /// <summary>Notes that every event up to <paramref name="sequence"/> has been read, so a client joining now need not replay it.</summary>
    public void Advance(long sequence)
    {
        lock (_gate)
        {
            _lastSequence = Math.Max(_lastSequence, sequence);
        }
    }

    private void Leave(Channel<DevelopmentRecorded> channel)
    {
        lock (_gate)
        {
            if (_clients.Remove(channel))
            {
                StreamMetrics.Active.Add(-1);
            }
        }

        channel.Writer.TryComplete();
    }

    /// <summary>One joined client: what it receives, where the broadcast stood when it joined, and its leaving.</summary>
    public sealed class Subscriber : IDisposable
    {
        private readonly DevelopmentBroadcaster _owner;
        private readonly Channel<DevelopmentRecorded> _channel;

        internal Subscriber(DevelopmentBroadcaster owner, Channel<DevelopmentRecorded> channel, long joinedAfter)
        {
            _owner = owner;
            _channel = channel;
            JoinedAfter = joinedAfter;
        }

        public ChannelReader<DevelopmentRecorded> Reader => _channel.Reader;

        /// <summary>Every development after this one reaches <see cref="Reader"/>.</summary>
        public long JoinedAfter { get; }

        public void Dispose() => _owner.Leave(_channel);
    }
}

/// <summary>A stream client was cut off for falling behind; it resumes with <c>Last-Event-ID</c>.</summary>
public sealed class SubscriberCutOffException(string message) : Exception(message);
