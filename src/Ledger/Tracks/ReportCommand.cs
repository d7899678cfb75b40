using Ledger.Infrastructure;
using System.CommandLine;
using System.Globalization;
using Ledger.Audit;
using Ledger.Cli;
using Ledger.Domain.Tracks;
using Marten;

namespace Ledger.Tracks;

public static class ReportCommand
{
    private const string StartMarker = "<!-- ledger report: start -->";
    private const string EndMarker = "<!-- ledger report: end -->";

    public static Command Create()
    {
        var negotiation = CommonOptions.Negotiation();
        var asOf = CommonOptions.Dates("--as-of", "a date to show; repeat for columns side by side (default: the days the negotiation's first and last developments occurred)");
        var format = CommonOptions.Format();
        format.Description = "table: Markdown for people; json: the status of every column, for machines";
        var readme = new Option<FileInfo?>("--update-readme") { Description = $"write the report into this Markdown file, between the lines {StartMarker} and {EndMarker}", HelpName = "FILE" };
        var command = new Command("report", "Each track at several dates side by side, in Markdown, with the disputed points and their sources.")
        {
            negotiation, asOf, format, readme,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await LedgerContext.OpenStoreAsync(ct);
            var named = await TrackQueries.NegotiationIdAsync(store, parse.GetValue(negotiation), ct);
            await using var session = store.QuerySessionFor(named);
            var id = (await TrackQueries.NegotiationAsync(session, named, ct)).Id;
            var given = parse.GetValue(asOf) ?? [];
            var dates = given.Length > 0 ? given : await DefaultDatesAsync(session, id, ct);
            if (given.Length == 0)
            {
                // Said on stderr: stdout is the report itself, to be piped or pasted.
                await Console.Error.WriteLineAsync(dates.Length == 0
                    ? $"{id} has no developments recorded yet: showing it as of today (--as-of D picks the dates)."
                    : $"No --as-of given: showing {id} as of the days its first and last developments occurred, {string.Join(" and ", dates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))} (--as-of D picks others).");
                dates = dates.Length == 0 ? [DateOnly.FromDateTime(DateTime.UtcNow)] : dates;
            }

            var columns = new List<NegotiationStatus>();
            foreach (var date in dates)
            {
                columns.Add(await TrackQueries.StatusAsync(session, id, null, new TimeAxes(AsOf: date), null, ct));
            }

            var json = parse.GetValue(format) == OutputFormat.Json;
            if (json && parse.GetValue(readme) is not null)
            {
                throw new CommandLineException("--update-readme writes Markdown: it does not go with --format json");
            }

            if (json)
            {
                Console.WriteLine(Json.Serialize(new { negotiation = id, asOf = dates, columns }));
                return ExitCodes.Ok;
            }

            var markdown = MarkdownReport.Render(columns);
            if (parse.GetValue(readme) is not { } file)
            {
                Console.Write(markdown);
                return ExitCodes.Ok;
            }

            var text = await File.ReadAllTextAsync(file.FullName, ct);
            var start = text.IndexOf(StartMarker, StringComparison.Ordinal);
            var end = text.IndexOf(EndMarker, StringComparison.Ordinal);
            if (start < 0 || end < start)
            {
                throw new CommandLineException($"{file.FullName} has no {StartMarker} … {EndMarker} section to update");
            }

            var updated = string.Concat(text.AsSpan(0, start + StartMarker.Length), "\n", markdown, text.AsSpan(end));
            await File.WriteAllTextAsync(file.FullName, updated, ct);
            await Console.Error.WriteLineAsync($"Updated the report in {file.FullName}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The days the negotiation's first and last recorded developments occurred (one day if they are the same, none if
    /// nothing is recorded): dates every negotiation has, where fixed dates would fall outside most of them.
    /// </summary>
    public static async Task<DateOnly[]> DefaultDatesAsync(IQuerySession session, string negotiationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        var claims = session.Query<ClaimRecord>().Where(c => c.NegotiationId == negotiationId);
        var first = await claims.OrderBy(c => c.OccurredBy).FirstOrDefaultAsync(ct);
        var last = await claims.OrderByDescending(c => c.OccurredBy).FirstOrDefaultAsync(ct);
        return first is null || last is null ? []
            : first.OccurredBy == last.OccurredBy ? [first.OccurredBy]
            : [first.OccurredBy, last.OccurredBy];
    }
}
