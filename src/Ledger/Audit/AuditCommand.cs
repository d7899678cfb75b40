using Ledger.Tracks;
using System.CommandLine;
using Ledger.Cli;
using Ledger.Domain.Provenance;
using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Spectre.Console;

namespace Ledger.Audit;

public static class AuditCommand
{
    public static Command Create()
    {
        var negotiation = CommonOptions.Negotiation();
        var track = CommonOptions.Track();
        var field = new Option<string?>("--field", "-f") { Description = "a status field path, or its start (e.g. phase, proposals, totals.bodies)" };
        var eventId = CommonOptions.Id("--event", "-e", "an event's claim id or event id", "a claim or event id");
        var asOf = CommonOptions.Date("--as-of", "audit the status as of this day");
        var knownOn = CommonOptions.Date("--known-on", "audit the status as known on this day");
        var by = new Option<string?>("--by") { Description = "only claims with this link in their attribution chain: a person, party, role, the outlet cited (via), the side asserting it, or the publishing outlet or source" };
        var format = CommonOptions.Format();
        var command = new Command("audit", "Follow status fields to their events, sources and exact quotes (with character offsets).")
        {
            negotiation, track, field, eventId, asOf, knownOn, by, format,
        };
        command.Validators.Add(result =>
        {
            // Whether they were given, not their values: a value that did not parse has its own error already.
            if (result.GetResult(eventId) is null && result.GetResult(track) is null)
            {
                result.AddError("audit needs --track (with an optional --field) or --event");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await LedgerContext.OpenStoreAsync(ct);
            var outputFormat = parse.GetValue(format);
            if (parse.GetValue(eventId) is { } id)
            {
                var claim = await AuditQueries.ClaimAsync(store, id, ct);
                if (outputFormat == OutputFormat.Json)
                {
                    Console.WriteLine(Json.Serialize(claim));
                }
                else
                {
                    AnsiConsole.Write(ClaimPanel(claim, TextLayout.Highlights(AnsiConsole.Console)));
                }

                return 0;
            }

            var named = await TrackQueries.NegotiationIdAsync(store, parse.GetValue(negotiation), ct);
            await using var session = store.QuerySessionFor(named);
            var audit = await AuditQueries.TrackAsync(
                session,
                named,
                parse.GetValue(track)!,
                parse.GetValue(field),
                new TimeAxes(parse.GetValue(asOf), parse.GetValue(knownOn)),
                ct,
                parse.GetValue(by));
            if (outputFormat == OutputFormat.Json)
            {
                Console.WriteLine(Json.Serialize(audit));
                return 0;
            }

            Render(audit, AnsiConsole.Console);
            return 0;
        });
        return command;
    }

    /// <summary>Each audited field under a heading (never cut, however long its path), then a panel per claim behind it.</summary>
    public static void Render(TrackAudit audit, IAnsiConsole console)
    {
        var highlight = TextLayout.Highlights(console);
        foreach (var auditedField in audit.Fields)
        {
            var value = auditedField.Path == "phase" ? ReadablePhase(auditedField.Value) : auditedField.Value;
            TextLayout.Heading(console, $"[bold]{Markup.Escape(audit.TrackId)}.{Markup.Escape(auditedField.Path)}[/] = {Markup.Escape(value)}");
            foreach (var claim in auditedField.Claims)
            {
                console.Write(ClaimPanel(claim, highlight));
            }
        }
    }

    /// <summary>The phase field's value (<c>UnderConsideration (disputed: Stalled)</c>) with its phases as words.</summary>
    public static string ReadablePhase(string value) =>
        System.Text.RegularExpressions.Regex.Replace(value, "[A-Z][a-z]+(?:[A-Z][a-z]+)*", m => Enum.TryParse<Phase>(m.Value, out var phase) ? TextLayout.Words(phase) : m.Value);

    public static Panel ClaimPanel(AuditedClaim claim) => ClaimPanel(claim, TextLayout.Highlights(AnsiConsole.Console));

    /// <summary>A claim with its chain of attribution and its quote marked in its sentence: highlighted, or between «» without colour.</summary>
    public static Panel ClaimPanel(AuditedClaim claim, bool highlight)
    {
        var q = claim.Quote;
        var sentence = TextLayout.MarkQuote(q.Sentence, q.StartInSentence, q.Exact.Length, highlight);
        var saidBy = claim.SaidBy is null
            ? "not attributed"
            : string.Join(" ← ", new[]
            {
                $"{claim.SaidBy.AsNamed ?? (claim.SaidBy.Role is null ? null : $"the {claim.SaidBy.Role} of {claim.SaidBy.Party}") ?? claim.SaidBy.Party ?? "unnamed"}{(claim.SaidBy.Actor is null ? "" : $" (actor {claim.SaidBy.Actor})")}{(claim.SaidBy.RoleAsGiven is null ? "" : $", \"{claim.SaidBy.RoleAsGiven}\"")}",
                claim.SaidBy.Via is null ? null : $"according to {claim.SaidBy.Via}",
                claim.Outlet,
            }.Where(x => x is not null)) + (claim.SaidBy.AssertedBy is null ? "" : $" — {claim.SaidBy.AssertedBy}'s own assertion");
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("[grey]event[/]", Markup.Escape($"{claim.Kind} · claim {claim.ClaimId} · event {claim.EventId} · #{claim.EventSequence} (stream version {claim.StreamVersion})"));
        grid.AddRow("[grey]recorded[/]", Markup.Escape($"{claim.RecordedAt:u} by {claim.RecordedBy ?? "unknown"}"));
        grid.AddRow("[grey]development[/]", Markup.Escape($"{claim.DevelopmentKey} ({claim.TrackId}), occurred {claim.Occurred}{(claim.Superseded ? " — superseded by a correction or retraction" : "")}{(claim.IndependentSources is { } n ? $"; reported by {n} independent source{(n == 1 ? "" : "s")}" : "")}"));
        grid.AddRow("[grey]says[/]", Markup.Escape(claim.Summary));
        grid.AddRow("[grey]said by[/]", Markup.Escape(saidBy));
        foreach (var (label, text) in RoleLines(claim.SaidBy))
        {
            grid.AddRow($"[grey]{label}[/]", Markup.Escape(text));
        }

        grid.AddRow("[grey]source[/]", Markup.Escape($"{claim.SourceId}: {claim.Outlet}, \"{claim.SourceTitle}\", published {claim.Published:yyyy-MM-dd}{(claim.Url is null ? "" : $", {claim.Url}")}"));
        grid.AddRow("[grey]quote[/]", Markup.Escape($"characters {q.Start}–{q.End}"));
        grid.AddRow("", sentence);
        if (claim.Note is not null)
        {
            grid.AddRow("[grey]note[/]", Markup.Escape(claim.Note));
        }

        foreach (var (field, reasoning) in claim.Inferred)
        {
            grid.AddRow("[grey]coder's reading[/]", Markup.Escape($"{field}: {reasoning} (not the source's words)"));
        }

        foreach (var revision in claim.Revisions)
        {
            grid.AddRow("[grey]revised[/]", Markup.Escape($"{revision.RevisedAt:u} by {revision.RevisedBy}{(revision.Reason is null ? "" : $" ({revision.Reason})")} · event {revision.EventId}"));
            foreach (var change in revision.Changes)
            {
                grid.AddRow("", Markup.Escape($"{change.Field}: {change.Before ?? "(none)"} → {change.After ?? "(none)"}"));
            }
        }

        return new Panel(grid).Border(BoxBorder.Rounded);
    }

    /// <summary>What the ledger made of a role: whom a role named in place of a person resolves to, and where the source's role for a person disagrees with the registered roles.</summary>
    public static IEnumerable<(string Label, string Text)> RoleLines(Attribution? saidBy)
    {
        if (saidBy?.ResolvedActor is { } actor)
        {
            yield return ("resolved", $"resolved by the ledger: {actor}, from {saidBy.ResolvedFrom} (the source names only the role)");
        }
        else if (saidBy?.Unresolved is { } why)
        {
            yield return ("unresolved", $"not resolved by the ledger: {why}");
        }

        if (saidBy?.RoleConflict is { } conflict)
        {
            yield return ("role conflict", conflict);
        }
    }
}
