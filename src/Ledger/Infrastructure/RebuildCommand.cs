using System.CommandLine;
using System.Diagnostics;
using Ledger.Audit;
using Ledger.Cli;
using Ledger.Negotiations;
using Ledger.Sources;
using Ledger.Timeline;
using Marten;
using Spectre.Console;

namespace Ledger.Infrastructure;

/// <summary>
/// Rebuilds every stored projection from the events: after a change to a projection's code, or to repair a
/// read model. The events are the record; everything this rewrites is derived from them.
/// </summary>
public static class RebuildCommand
{
    /// <summary>The projections that store documents, in the order they are rebuilt.</summary>
    public static readonly Type[] Rebuilt =
    [
        typeof(NegotiationProjection), typeof(SourceProjection), typeof(ClaimRegistryProjection), typeof(TimelineProjection),
    ];

    public static Command Create()
    {
        var command = new Command("rebuild", "Rebuild every stored projection (negotiations, sources, the claim registry, the timeline) from the events.");
        command.SetAction(async (_, ct) =>
        {
            await using var store = await LedgerContext.OpenStoreAsync(ct);
            var timings = await AnsiConsole.Progress().AutoClear(true)
                .StartAsync(progress => RunAsync(store, name => progress.AddTask(name, maxValue: 1), ct));
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Projection").AddColumn(new TableColumn("Rebuilt in").RightAligned());
            foreach (var (projection, elapsed) in timings)
            {
                table.AddRow(projection, $"{elapsed.TotalSeconds:0.00} s");
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Rebuilds every projection in <see cref="Rebuilt"/> and times each. They are independent of one another, so by
    /// default they run at once: each reads the events it needs and writes its own documents, and while one waits on
    /// PostgreSQL another deserializes. <paramref name="oneAfterAnother"/> runs them in order instead.
    /// </summary>
    public static async Task<IReadOnlyList<(string Projection, TimeSpan Elapsed)>> RunAsync(
        IDocumentStore store, Func<string, ProgressTask>? onStart, CancellationToken ct, bool oneAfterAnother = false)
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        async Task<(string, TimeSpan)> RebuildAsync(Type projection)
        {
            var task = onStart?.Invoke(projection.Name);
            var watch = Stopwatch.StartNew();
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(10), ct);
            task?.Increment(1);
            return (projection.Name, watch.Elapsed);
        }

        if (!oneAfterAnother)
        {
            return await Task.WhenAll(Rebuilt.Select(RebuildAsync));
        }

        var timings = new List<(string, TimeSpan)>();
        foreach (var projection in Rebuilt)
        {
            timings.Add(await RebuildAsync(projection));
        }

        return timings;
    }
}
