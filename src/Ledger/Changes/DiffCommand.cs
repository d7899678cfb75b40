using System.CommandLine;
using Ledger.Cli;
using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Ledger.Tracks;
using Spectre.Console;

namespace Ledger.Changes;

public static class DiffCommand
{
    public static Command Create()
    {
        var from = CommonOptions.Date("--from", "the earlier date: the status as of this day is the baseline");
        var to = CommonOptions.Date("--to", "the later date: what the status shows by this day that it did not before");
        from.Required = true;
        to.Required = true;
        var negotiation = CommonOptions.Negotiation();
        var track = CommonOptions.Track();
        var knownOn = CommonOptions.Date("--known-on", "compare only reports published by this day (default: every report)");
        var format = CommonOptions.Format();
        var command = new Command("diff", "What changed between two dates: developments added, phases changed, disputes opened or settled, items that lapsed, each with its sources.")
        {
            from, to, negotiation, track, knownOn, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(from) is { } f && parse.GetValue(to) is { } t && f > t)
            {
                await Console.Error.WriteLineAsync($"ledger diff: --from {f:yyyy-MM-dd} is after --to {t:yyyy-MM-dd}: --from must be on or before --to");
                return 1;
            }

            await using var store = await LedgerContext.OpenStoreAsync(ct);
            await Projections.CatchUpAsync(store, ct);
            var named = await TrackQueries.NegotiationIdAsync(store, parse.GetValue(negotiation), ct);
            await using var session = store.QuerySessionFor(named);
            var changes = await ChangesQuery.BetweenAsync(session, named, parse.GetValue(track), parse.GetValue(from)!.Value, parse.GetValue(to)!.Value, parse.GetValue(knownOn), ct);
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                Console.WriteLine(Json.Serialize(changes));
                return 0;
            }

            Write(changes);
            return 0;
        });
        return command;
    }

    private static void Write(NegotiationChanges changes)
    {
        var title = $"[bold]{Markup.Escape(changes.Title)}[/] — what changed from {changes.From:yyyy-MM-dd} to {changes.To:yyyy-MM-dd}"
            + (changes.KnownOn is { } known ? $", as known on {known:yyyy-MM-dd}" : "");
        if (changes.Tracks.Count == 0)
        {
            AnsiConsole.MarkupLine(title);
            AnsiConsole.WriteLine("Nothing changed.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title(title)
            .AddColumn("Track").AddColumn("Change").AddColumn("Item").AddColumn("Was").AddColumn("Now").AddColumn("Sources");
        foreach (var track in changes.Tracks)
        {
            foreach (var change in track.Changes)
            {
                table.AddRow(
                    Markup.Escape(track.TrackId),
                    Markup.Escape(Describe(change)),
                    Markup.Escape(change.Key),
                    Markup.Escape(change.Was ?? ""),
                    Markup.Escape(change.Now ?? ""),
                    Markup.Escape(string.Join(", ", change.Evidence.Select(e => e.SourceId).Distinct())));
            }
        }

        AnsiConsole.Write(table);
    }

    private static string Describe(StatusChange change) => change.Kind switch
    {
        ChangeKind.DisputeOpened => "dispute opened",
        ChangeKind.DisputeSettled => "dispute settled",
        _ => $"{Naming.Words(change.Section.TrimEnd('s'))} {Naming.Words(change.Kind.ToString())}",
    };
}
