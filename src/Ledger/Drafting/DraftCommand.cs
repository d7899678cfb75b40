using System.CommandLine;
using Ledger.Audit;
using Ledger.Cli;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Recording;
using Ledger.Infrastructure;
using Ledger.Negotiations;
using Ledger.Sources;
using Marten;

namespace Ledger.Drafting;

public static class DraftCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("SOURCE") { Description = "id of a registered source" };
        var negotiation = CommonOptions.Negotiation();
        negotiation.Description = "negotiation whose actors, parties and developments the draft uses (default: the one the text names most)";
        var output = new Option<FileInfo?>("--output", "-o") { Description = "write the draft to this file (default: standard output)" };
        var command = new Command("draft", "Draft an event file from a registered source: its sentences that name actors or parties, with counts, dates and the developments on record they probably report; TODO marks what the analyst decides.")
        {
            source, negotiation, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await LedgerContext.OpenStoreAsync(ct);
            return await RunAsync(store, parse.GetValue(source)!, parse.GetValue(negotiation), parse.GetValue(output)?.FullName, Console.Out, Console.Error, ct);
        });
        return command;
    }

    public static async Task<int> RunAsync(IDocumentStore store, string sourceId, string? negotiationId, string? outputPath, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var (draft, problem) = await DraftAsync(store, sourceId, negotiationId, ct);
        if (draft is null)
        {
            await error.WriteLineAsync($"ledger draft: {problem}");
            return 1;
        }

        if (outputPath is null)
        {
            await output.WriteAsync(draft.Yaml);
            return 0;
        }

        if (File.Exists(outputPath))
        {
            await error.WriteLineAsync($"ledger draft: {outputPath} exists; a draft never overwrites a file (it may hold finished coding)");
            return 1;
        }

        await File.WriteAllTextAsync(outputPath, draft.Yaml, ct);
        var known = draft.Items.Count(i => i.Guess is not null);
        await output.WriteLineAsync($"wrote {outputPath}: {draft.Items.Count} sentence(s) of '{sourceId}' for {draft.NegotiationId}, {known} matched to a development on record; finish the TODOs, then ledger import");
        return 0;
    }

    /// <summary>
    /// The draft of a source against a negotiation's registry and its recorded developments. The source's own
    /// reports are left out of what it is matched against: a draft proposes what the other sources make of it.
    /// </summary>
    public static async Task<(Draft? Draft, string? Problem)> DraftAsync(IDocumentStore store, string sourceId, string? negotiationId, CancellationToken ct, double threshold = Drafter.MatchThreshold)
    {
        if (!Recorder.IsId(sourceId))
        {
            return (null, $"'{sourceId}' is not a source id (lower-case letters, digits and '-')");
        }

        var negotiations = await store.FanOutAsync<NegotiationRegistration>(async s => await s.Query<NegotiationRegistration>().ToListAsync(ct));
        var sources = await store.FanOutAsync<Source>(async s => await s.Query<Source>().Where(x => x.SourceId == sourceId).ToListAsync(ct));
        if (sources.FirstOrDefault() is not { } source)
        {
            return (null, $"no source '{sourceId}' is registered (ledger add-source FILE first)");
        }

        var text = new SourceText(source.SourceId, source.Text, source.Published, source.Outlet);
        Negotiation? negotiation;
        if (negotiationId is not null)
        {
            negotiation = negotiations.FirstOrDefault(n => n.Negotiation.Id == negotiationId)?.Negotiation;
            if (negotiation is null)
            {
                return (null, $"unknown negotiation '{negotiationId}'; registered: {string.Join(", ", negotiations.Select(n => n.Negotiation.Id).Order(StringComparer.Ordinal))}");
            }
        }
        else
        {
            negotiation = negotiations.Select(n => n.Negotiation)
                .Select(n => (Negotiation: n, Names: TextFacts.Sentences(text.Text).Sum(s => TextFacts.Names(s.Text, n).Count)))
                .Where(n => n.Names > 0).OrderByDescending(n => n.Names).ThenBy(n => n.Negotiation.Id, StringComparer.Ordinal).Select(n => n.Negotiation).FirstOrDefault();
            if (negotiation is null)
            {
                return (null, negotiations.Count == 0
                    ? "no negotiation is registered (import its negotiation.yaml first)"
                    : $"the text names no actor or party of a registered negotiation; give one with -n ({string.Join(", ", negotiations.Select(n => n.Negotiation.Id).Order(StringComparer.Ordinal))})");
            }
        }

        await using var session = store.QuerySession(Partitioning.Of(store).TenantOf(negotiation.Id));
        var reports = await session.Query<ClaimRecord>()
            .Where(c => c.NegotiationId == negotiation.Id && c.SourceId != sourceId && !c.Amends)
            .ToListAsync(ct);
        var known = Drafter.Known(negotiation, reports.Select(r => r.Development));
        return (Drafter.Write(text, negotiation, known, threshold), null);
    }
}
