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

        // A heading per track and a block per change: six columns cannot hold keys and wording at 80 columns
        // without splitting words.
        TextLayout.Heading(AnsiConsole.Console, title);
        var width = AnsiConsole.Profile.Width;
        foreach (var track in changes.Tracks)
        {
            var phase = track.PhaseBefore == track.PhaseAfter
                ? $"still {TextLayout.Words(track.PhaseAfter)}"
                : $"{TextLayout.Words(track.PhaseBefore)} → {TextLayout.Words(track.PhaseAfter)}";
            TextLayout.Heading(AnsiConsole.Console, $"[bold]{Markup.Escape(track.TrackId)}[/] — {Markup.Escape(phase)}");
            foreach (var change in track.Changes)
            {
                var lines = new List<string>();
                if (change.Was is { Length: > 0 } was)
                {
                    lines.Add($"[grey]was:[/] {Markup.Escape(was)}");
                }

                if (change.Now is { Length: > 0 } now)
                {
                    lines.Add($"{(change.Was is { Length: > 0 } ? "[grey]now:[/] " : "")}{Markup.Escape(now)}");
                }

                var sources = string.Join(", ", change.Evidence.Select(e => e.SourceId).Distinct());
                AnsiConsole.Write(TextLayout.Block($"{Describe(change)}: {change.Key}", string.Join("\n", lines), sources, width));
            }
        }
    }

    private static string Describe(StatusChange change) => change.Kind switch
    {
        ChangeKind.DisputeOpened => "dispute opened",
        ChangeKind.DisputeSettled => "dispute settled",
        _ => $"{Naming.Words(change.Section.TrimEnd('s'))} {Naming.Words(change.Kind.ToString())}",
    };
}
