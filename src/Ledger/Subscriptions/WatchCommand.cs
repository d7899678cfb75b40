using System.CommandLine;
using System.Security.Cryptography;
using JasperFx.Events.Daemon;
using Command = System.CommandLine.Command;
using JasperFx.Events.Projections;
using Ledger.Cli;
using Ledger.Infrastructure;
using Marten;
using Marten.Subscriptions;
using Npgsql;
using Spectre.Console;

namespace Ledger.Subscriptions;

/// <summary>
/// <c>ledger watch</c>: prints developments as they are recorded, straight from the store — a Marten subscription
/// of its own, run by a daemon that runs nothing else, replays from <c>--from</c> and then follows live.
/// </summary>
public static class WatchCommand
{
    public static Command Create()
    {
        var negotiation = CommonOptions.Negotiation();
        var track = CommonOptions.Track();
        var from = CommonOptions.WholeNumber("--from", "replay after this global sequence (0: from the beginning; -1: only new developments)", 0);
        var format = CommonOptions.Format();
        var command = new Command("watch", "Print developments as they are recorded: first those already recorded (after --from), then new ones live, until Ctrl+C.")
        {
            negotiation, track, from, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            var connection = await LedgerContext.ConnectionAsync(ct);
            var schema = Environment.GetEnvironmentVariable("LEDGER_SCHEMA") ?? LedgerStore.DefaultSchema;
            var json = parse.GetValue(format) == OutputFormat.Json;
            var printer = new Printer(json);
            await Console.Error.WriteLineAsync("Watching for developments; Ctrl+C to stop.");
            try
            {
                await WatchAsync(connection.ConnectionString, schema, parse.GetValue(from), parse.GetValue(negotiation), parse.GetValue(track), printer.Print, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C.
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// Calls <paramref name="onDevelopment"/> for each development after <paramref name="from"/> (-1: only new ones),
    /// in global order, then for each new one as it is recorded, until <paramref name="ct"/> is cancelled.
    /// </summary>
    public static async Task WatchAsync(string connectionString, string schema, long from, string? negotiation, string? track, Action<DevelopmentRecorded> onDevelopment, CancellationToken ct)
    {
        var name = "watch_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        void Filtered(DevelopmentRecorded d)
        {
            if (d.Matches(negotiation, track))
            {
                onDevelopment(d);
            }
        }

        await using var store = DocumentStore.For(options =>
        {
            options.ConfigureLedger(connectionString, schema, partitioning: Partitioning.FromEnvironment());
            // Solo is right beside any number of servers and other watches: the subscription's name is this watch's
            // own, so no other process runs it, and the agent is started directly rather than elected.
            options.Projections.AsyncMode = DaemonMode.Solo;
            options.Events.Subscribe(new WatchSubscription(name, from, Filtered));
        });
        if (from < 0)
        {
            var statistics = await store.Advanced.FetchEventStoreStatistics(token: ct);
            await RewindAsync(connectionString, schema, name, statistics.EventSequenceNumber, ct);
        }

        using var daemon = await store.BuildProjectionDaemonAsync();
        try
        {
            await daemon.StartAgentAsync($"{name}:All", ct);
            await Task.Delay(Timeout.Infinite, ct);
        }
        finally
        {
            await daemon.StopAllAsync();
            await ForgetAsync(connectionString, schema, name);
        }
    }

    /// <summary>Starts the subscription at a position by recording it as its progress.</summary>
    private static async Task RewindAsync(string connectionString, string schema, string name, long sequence, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"insert into \"{schema}\".mt_event_progression (name, last_seq_id) values (@name, @seq) on conflict (name) do update set last_seq_id = @seq",
            connection);
        command.Parameters.AddWithValue("name", $"{name}:All");
        command.Parameters.AddWithValue("seq", sequence);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A watch leaves no progress row behind.</summary>
    private static async Task ForgetAsync(string connectionString, string schema, string name)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"delete from \"{schema}\".mt_event_progression where name like @name", connection);
            command.Parameters.AddWithValue("name", name + ":%");
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // Best effort: a leftover row only records how far a finished watch got.
        }
    }

    private sealed class Printer(bool json)
    {
        public void Print(DevelopmentRecorded recorded)
        {
            if (json)
            {
                Console.WriteLine(recorded.ToJsonLine());
                return;
            }

            AnsiConsole.MarkupLineInterpolated(
                $"[grey]#{recorded.Sequence}[/] [bold]{recorded.NegotiationId}/{recorded.TrackId}[/] {recorded.Occurred} [cyan]{recorded.Kind}[/] {recorded.DevelopmentKey}: {recorded.Summary} [grey]({recorded.SourceId}; recorded by {recorded.RecordedBy ?? "unknown"})[/]");
        }
    }

    private sealed class WatchSubscription : SubscriptionBase
    {
        private readonly Action<DevelopmentRecorded> _print;
        private long _last;

        public WatchSubscription(string name, long from, Action<DevelopmentRecorded> print)
        {
            _print = print;
            Name = name;
            if (from > 0)
            {
                Options.SubscribeFromSequence(from);
            }
        }

        public override Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
        {
            foreach (var e in page.Events.OrderBy(e => e.Sequence))
            {
                if (e.Sequence > _last && DevelopmentRecorded.From(e) is { } recorded)
                {
                    _print(recorded);
                }

                _last = Math.Max(_last, e.Sequence);
            }

            return Task.FromResult(NullChangeListener.Instance);
        }
    }
}
