using System.CommandLine;
using System.Globalization;
using Ledger.Cli;
using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Marten;
using Spectre.Console;

namespace Ledger.Tracks;

public static class StatusCommand
{
    public static Command Create()
    {
        var negotiation = CommonOptions.Negotiation();
        var track = CommonOptions.Track();
        var asOf = CommonOptions.Date("--as-of", "the world as it stood on this day: developments that had occurred by then");
        var knownOn = CommonOptions.Date("--known-on", "only what had been published by this day");
        var recordedAt = CommonOptions.Moment("--recorded-at", "what the ledger itself showed at this moment of recording (ISO 8601)");
        var format = CommonOptions.Format();
        var command = new Command("status", "The status of each track, every field with the sources behind it.")
        {
            negotiation, track, asOf, knownOn, recordedAt, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await LedgerContext.OpenStoreAsync(ct);
            var named = await TrackQueries.NegotiationIdAsync(store, parse.GetValue(negotiation), ct);
            await using var session = store.QuerySessionFor(named);
            var status = await TrackQueries.StatusAsync(
                session,
                named,
                parse.GetValue(track),
                new TimeAxes(parse.GetValue(asOf), parse.GetValue(knownOn)),
                parse.GetValue(recordedAt),
                ct);
            Render(status, parse.GetValue(format));
            return 0;
        });
        return command;
    }

    public static async Task ShowAsync(IDocumentStore store, OutputFormat format, CancellationToken ct)
    {
        foreach (var negotiation in await TrackQueries.NegotiationsAsync(store, ct))
        {
            await using var session = store.QuerySessionFor(negotiation.Id);
            Render(await TrackQueries.StatusAsync(session, negotiation.Id, null, TimeAxes.Now, null, ct), format);
        }
    }

    public static void Render(NegotiationStatus status, OutputFormat format) => Render(status, format, AnsiConsole.Console);

    public static void Render(NegotiationStatus status, OutputFormat format, IAnsiConsole console)
    {
        if (format == OutputFormat.Json)
        {
            console.Profile.Out.Writer.WriteLine(Json.Serialize(status));
            return;
        }

        TextLayout.Heading(console, $"[bold]{Markup.Escape(status.Negotiation.Title)}[/] — {Markup.Escape(Describe(status))}");
        foreach (var report in status.Tracks)
        {
            WriteTrack(console, report);
        }
    }

    public static string Describe(NegotiationStatus status)
    {
        var parts = new List<string>();
        if (status.Axes.AsOf is { } asOf)
        {
            parts.Add($"as of {asOf:yyyy-MM-dd}");
        }

        if (status.Axes.KnownOn is { } knownOn)
        {
            parts.Add($"as known on {knownOn:yyyy-MM-dd}");
        }

        if (status.RecordedAt is { } recordedAt)
        {
            parts.Add($"as recorded at {recordedAt.ToString("u", CultureInfo.InvariantCulture)}");
        }

        return parts.Count == 0 ? "everything recorded" : string.Join(", ", parts);
    }

    public static string PhaseText(Phase phase) => Naming.Kebab(phase.ToString()).Replace('-', ' ');

    /// <summary>
    /// A track as a block per field, path above value and sources: a path, a development key or a source id is never
    /// split across lines, at 80 columns as on a wide terminal.
    /// </summary>
    private static void WriteTrack(IAnsiConsole console, TrackReport report)
    {
        var status = report.Status;
        var phase = status.Phase.Disputed
            ? $"[yellow]{PhaseText(status.Phase.Value)}, disputed: {PhaseText(status.Phase.Alternative!.Value)}[/]"
            : $"[bold]{PhaseText(status.Phase.Value)}[/]";
        console.WriteLine();
        TextLayout.Heading(console, $"[bold]{Markup.Escape(report.Track.Title)}[/] [grey]({Markup.Escape(report.Track.Id)})[/] — {phase}");
        var width = console.Profile.Width;
        foreach (var field in status.Fields().Where(f => f.Path != "phase"))
        {
            var path = field.Path.StartsWith("disputes.", StringComparison.Ordinal) ? $"{field.Path} (disputed)" : field.Path;
            var sources = field.Evidence.Select(e => e.SourceId).Distinct().ToList();
            var keys = field.Evidence.Select(e => e.DevelopmentKey).Distinct().ToList();
            var independent = keys.Count == 1 ? status.Corroboration.FirstOrDefault(c => c.DevelopmentKey == keys[0])?.IndependentSources : null;
            var asserted = field.Evidence.Select(e => e.AssertedBy).OfType<string>().Distinct().ToList();
            var sourceText = string.Join(", ", sources)
                + (independent is { } n && n < sources.Count ? $" ({n} independent)" : "")
                + (asserted.Count == 0 ? "" : $"; {string.Join(", ", asserted)}'s own assertion");
            console.Write(TextLayout.Block(path, Markup.Escape(field.Value), sourceText, width));
        }

        if (status.ClaimCount == 0)
        {
            console.MarkupLine("[grey]nothing reported[/]");
        }

        if (status.Window is { } window)
        {
            console.Write(new Markup($"[grey]{status.ClaimCount:N0} reports: lists show the {window.Developments:N0} developments among the latest {window.Reports:N0}, "
                + $"which occurred from {Markup.Escape(window.FromAsReported ?? window.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}; the phase, positions, totals and last change are the whole track's; "
                + $"`ledger timeline --track {Markup.Escape(report.Track.Id)}` lists every development.[/]\n"));
        }
    }
}
