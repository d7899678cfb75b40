using System.CommandLine;
using Ledger.Cli;
using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Ledger.Tracks;
using Spectre.Console;

namespace Ledger.Timeline;

public static class TimelineCommand
{
    public static Command Create()
    {
        var negotiation = CommonOptions.Negotiation();
        var track = CommonOptions.Track();
        var asOf = CommonOptions.Date("--as-of", "only developments that had occurred by this day");
        var knownOn = CommonOptions.Date("--known-on", "only reports published by this day");
        var format = CommonOptions.Format();
        var wide = new Option<bool>("--wide") { Description = "a table row per report, with its development key, full summary and publication date (for wide terminals)" };
        var command = new Command("timeline", "Every reported development of a negotiation in the order it occurred, with its source.")
        {
            negotiation, track, asOf, knownOn, format, wide,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await LedgerContext.OpenStoreAsync(ct);
            await Projections.CatchUpAsync(store, ct);
            var named = await TrackQueries.NegotiationIdAsync(store, parse.GetValue(negotiation), ct);
            await using var session = store.QuerySessionFor(named);
            var found = await TrackQueries.NegotiationAsync(session, named, ct);
            TrackQueries.RequireTrack(found, parse.GetValue(track));
            var entries = await TimelineQueries.ForAsync(session, found.Id, parse.GetValue(track), new TimeAxes(parse.GetValue(asOf), parse.GetValue(knownOn)), ct);
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                Console.WriteLine(Json.Serialize(entries));
                return 0;
            }

            Render(found.Title, entries, parse.GetValue(wide), AnsiConsole.Console);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The timeline for people. By default a development takes one or two lines (when it occurred as reported, track,
    /// kind and how many sources report it; then its summary, shortened at a word to the line); <paramref name="wide"/>
    /// gives a table row per report with everything.
    /// </summary>
    public static void Render(string title, IReadOnlyList<TimelineEntry> entries, bool wide, IAnsiConsole console)
    {
        if (wide)
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(title)}[/] — timeline")
                .AddColumn("Occurred").AddColumn("Track").AddColumn("Development").AddColumn("Kind").AddColumn("Says").AddColumn("Source").AddColumn("Published");
            foreach (var e in entries)
            {
                table.AddRow(Markup.Escape(e.Occurred), Markup.Escape(e.TrackId), Markup.Escape(e.DevelopmentKey), Markup.Escape(TextLayout.Words(e.Kind)), Markup.Escape(e.Summary), Markup.Escape(e.SourceId), e.Published.ToString("yyyy-MM-dd"));
            }

            console.Write(table);
            return;
        }

        TextLayout.Heading(console, $"[bold]{Markup.Escape(title)}[/] — timeline");
        var width = console.Profile.Width;
        foreach (var development in Developments(entries))
        {
            var first = development[0];
            var sources = development.Select(e => e.SourceId).Distinct().Count();
            var occurred = string.Join("; ", development.Select(e => e.Occurred).Distinct());
            console.Write(new Markup($"[bold]{Markup.Escape(occurred)}[/]  {Markup.Escape(first.TrackId)} · {Markup.Escape(TextLayout.Words(first.Kind))} · [grey]{sources} source{(sources == 1 ? "" : "s")}[/]\n"));
            console.Write(new Padder(new Markup(Markup.Escape(TextLayout.Shorten(first.Summary, width - TextLayout.Indent))), new Padding(TextLayout.Indent, 0, 0, 0)) { Expand = false });
        }

        console.Write(new Markup($"[grey]{entries.Count:N0} reports of {Developments(entries).Count():N0} developments; --wide shows each report with its development key and source.[/]\n"));
    }

    /// <summary>Reports of one development next to each other in the timeline's order, taken together.</summary>
    private static IEnumerable<IReadOnlyList<TimelineEntry>> Developments(IReadOnlyList<TimelineEntry> entries)
    {
        var current = new List<TimelineEntry>();
        foreach (var entry in entries)
        {
            if (current.Count > 0 && (current[0].DevelopmentKey != entry.DevelopmentKey || current[0].TrackId != entry.TrackId))
            {
                yield return current;
                current = [];
            }

            current.Add(entry);
        }

        if (current.Count > 0)
        {
            yield return current;
        }
    }
}
