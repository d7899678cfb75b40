using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Daemon.HighWater;
using Npgsql;

namespace Ledger.Subscriptions;

/// <summary>
/// Follows committed developments for this node's stream clients, whichever node recorded them and whichever node
/// leads the async daemon. It reads the events past its position up to the daemon's high-water mark (below which
/// every transaction has committed or never will, so a later commit cannot slip in behind what was read), and
/// hands them to the node's <see cref="DevelopmentBroadcaster"/>. PostgreSQL's notification of each append
/// (Marten's <c>mt_events_appended</c> channel) wakes it; a poll every <see cref="StreamSettings.PollInterval"/>
/// covers a lost listening connection.
/// </summary>
public sealed partial class DevelopmentFollower(
    string connectionString,
    string schema,
    string tenant,
    IDocumentStore store,
    DevelopmentBroadcaster broadcaster,
    ILogger<DevelopmentFollower> logger) : BackgroundService
{
    private const int PageSize = 500;

    /// <summary>While committed events wait above the mark, how soon to look again: the leader moves the mark within milliseconds.</summary>
    private static readonly TimeSpan FirstRecheck = TimeSpan.FromMilliseconds(25);

    private readonly SemaphoreSlim _signal = new(0);
    private readonly string _marks =
        $"select coalesce((select last_seq_id from \"{schema}\".mt_event_progression where name = '{ShardState.HighWaterMark}'), 0), "
        + $"coalesce((select max(seq_id) from \"{schema}\".mt_events), 0)";

    private NpgsqlDataSource? _source;

    public long Position { get; private set; }

    public override void Dispose()
    {
        _source?.Dispose();
        _signal.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _source = NpgsqlDataSource.Create(connectionString);
        var listening = ListenAsync(stoppingToken);
        try
        {
            await FollowAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await listening;
    }

    private async Task FollowAsync(CancellationToken ct)
    {
        // Everything already under the mark is history that clients replay from the store.
        Position = await RetryAsync(async () => (await ReadMarksAsync(ct)).HighWater, ct);
        broadcaster.Start(Position);
        var recheck = FirstRecheck;
        while (!ct.IsCancellationRequested)
        {
            // Taken before reading, so a notification that arrives during the read wakes the next wait at once.
            while (_signal.CurrentCount > 0)
            {
                await _signal.WaitAsync(0, ct);
            }

            var pending = await RetryAsync(
                async () =>
                {
                    var (highWater, newest) = await ReadMarksAsync(ct);
                    if (highWater > Position)
                    {
                        await PublishAsync(highWater, ct);
                    }

                    return newest > Position;
                },
                ct);

            if (pending)
            {
                // Committed, but not yet under the mark: the daemon's leader is about to move it (or a new leader is taking over).
                await Task.Delay(recheck, ct);
                recheck = TimeSpan.FromTicks(Math.Min(recheck.Ticks * 2, broadcaster.Settings.PollInterval.Ticks));
            }
            else
            {
                recheck = FirstRecheck;
                await _signal.WaitAsync(broadcaster.Settings.PollInterval, ct);
            }
        }
    }

    private async Task PublishAsync(long highWater, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenant);
        while (Position < highWater)
        {
            var floor = Position;
            var page = await session.Events.QueryAllRawEvents()
                .Where(e => e.Sequence > floor && e.Sequence <= highWater)
                .OrderBy(e => e.Sequence)
                .Take(PageSize)
                .ToListAsync(ct);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var e in page)
            {
                if (DevelopmentRecorded.From(e) is { } recorded)
                {
                    broadcaster.Publish(recorded);
                }

                Position = Math.Max(Position, e.Sequence);
            }
        }

        Position = Math.Max(Position, highWater);
        broadcaster.Advance(Position);
    }

    private async Task<(long HighWater, long Newest)> ReadMarksAsync(CancellationToken ct)
    {
        try
        {
            await using var command = _source!.CreateCommand(_marks);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return (reader.GetInt64(0), reader.GetInt64(1));
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            // A new ledger whose event tables Marten creates on first use: nothing recorded yet.
            return (0, 0);
        }
    }

    /// <summary>Keeps a LISTEN connection open for as long as the node runs, reconnecting after a lost one.</summary>
    private async Task ListenAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 10 };
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresqlListenWakeup.DefaultChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }

                // Anything appended while no connection listened is found now rather than at the next poll.
                Wake();
                while (!ct.IsCancellationRequested)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                LogListenLost(logger, e.Message);
                try
                {
                    await Task.Delay(broadcaster.Settings.PollInterval, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    /// <summary>The database may be away for a while: the follower waits for it and goes on from where it was.</summary>
    private async Task<T> RetryAsync<T>(Func<Task<T>> action, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Whatever the fault, the node's other work goes on: a follower that threw would stop the host.
                LogReadFailed(logger, Position, e.Message);
                await Task.Delay(broadcaster.Settings.PollInterval, ct);
            }
        }
    }


    [LoggerMessage(Level = LogLevel.Warning, Message = "Following developments: the notification connection was lost ({Error}); polling until it is back")]
    private static partial void LogListenLost(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following developments after #{Position} failed ({Error}); trying again")]
    private static partial void LogReadFailed(ILogger logger, long position, string error);
}
