using Ledger.Infrastructure;
using System.CommandLine;
using System.Globalization;
using Ledger.Cli;
using Ledger.Domain.Tracks;

namespace Ledger.Tracks;

public static class ReportCommand
{
    private const string StartMarker = "<!-- ledger report: start -->";
    private const string EndMarker = "<!-- ledger report: end -->";

    public static Command Create()
    {
        var negotiation = CommonOptions.Negotiation();
        var asOf = new Option<DateOnly[]>("--as-of")
        {
            Description = "a date to show; repeat for columns side by side (default: 2025-07-22 and 2025-07-24)",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = result => [.. result.Tokens.Select(t => DateOnly.ParseExact(t.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture))],
        };
        var readme = new Option<FileInfo?>("--update-readme") { Description = $"write the report into this Markdown file, between the lines {StartMarker} and {EndMarker}" };
        var command = new Command("report", "Each track at several dates side by side, in Markdown, with the disputed points and their sources.")
        {
            negotiation, asOf, readme,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await LedgerContext.OpenStoreAsync(ct);
            var named = await TrackQueries.NegotiationIdAsync(store, parse.GetValue(negotiation), ct);
            await using var session = store.QuerySessionFor(named);
            var dates = parse.GetValue(asOf) is { Length: > 0 } given ? given : [new DateOnly(2025, 7, 22), new DateOnly(2025, 7, 24)];
            var columns = new List<NegotiationStatus>();
            foreach (var date in dates)
            {
                columns.Add(await TrackQueries.StatusAsync(session, named, null, new TimeAxes(AsOf: date), null, ct));
            }

            var markdown = MarkdownReport.Render(columns);
            if (parse.GetValue(readme) is not { } file)
            {
                Console.Write(markdown);
                return 0;
            }

            var text = await File.ReadAllTextAsync(file.FullName, ct);
            var start = text.IndexOf(StartMarker, StringComparison.Ordinal);
            var end = text.IndexOf(EndMarker, StringComparison.Ordinal);
            if (start < 0 || end < start)
            {
                await Console.Error.WriteLineAsync($"ledger: {file.FullName} has no {StartMarker} … {EndMarker} section to update");
                return 1;
            }

            var updated = string.Concat(text.AsSpan(0, start + StartMarker.Length), "\n", markdown, text.AsSpan(end));
            await File.WriteAllTextAsync(file.FullName, updated, ct);
            await Console.Error.WriteLineAsync($"Updated the report in {file.FullName}.");
            return 0;
        });
        return command;
    }
}
