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
        var command = new Command("timeline", "Every reported development of a negotiation in the order it occurred, with its source.")
        {
            negotiation, track, asOf, knownOn, format,
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

            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(found.Title)}[/] — timeline")
                .AddColumn("Occurred").AddColumn("Track").AddColumn("Development").AddColumn("Kind").AddColumn("Says").AddColumn("Source").AddColumn("Published");
            foreach (var e in entries)
            {
                table.AddRow(Markup.Escape(e.Occurred), Markup.Escape(e.TrackId), Markup.Escape(e.DevelopmentKey), Markup.Escape(e.Kind), Markup.Escape(e.Summary), Markup.Escape(e.SourceId), e.Published.ToString("yyyy-MM-dd"));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
