using System.Globalization;
using System.Text;
using Ledger.Domain.Tracks;

namespace Ledger.Tracks;

/// <summary>
/// Each track at several dates side by side, as Markdown: the phase, positions, open proposals, agreements,
/// totals and disputed points, each with the sources behind it.
/// </summary>
public static class MarkdownReport
{
    public static string Render(IReadOnlyList<NegotiationStatus> columns)
    {
        var first = columns[0];
        var sb = new StringBuilder();
        var headers = columns.Select(StatusCommand.Describe).ToList();
        foreach (var (track, index) in first.Tracks.Select((t, i) => (t.Track, i)))
        {
            sb.Append(CultureInfo.InvariantCulture, $"#### {track.Title} (`{track.Id}`)\n\n");
            sb.Append("| | ").Append(string.Join(" | ", headers)).Append(" |\n");
            sb.Append("|---|").Append(string.Concat(Enumerable.Repeat("---|", headers.Count))).Append('\n');
            var statuses = columns.Select(c => c.Tracks[index].Status).ToList();
            Row(sb, "Phase", statuses.Select(Phase));
            Row(sb, "Positions", statuses.Select(s => Items(s.Positions.Select(p => ($"{p.Party} on {p.Topic}: {p.Position}{(p.Restated ? " (restated)" : "")}", (IEnumerable<Evidence>)p.Evidence)))));
            Row(sb, "Open proposals", statuses.Select(s => Items(s.OpenProposals.Select(p => ($"{p.ProposedBy}: {p.Text} — {StateText(p.State)}", p.Evidence.Concat(p.Responses.SelectMany(r => r.Evidence)))))));
            Row(sb, "Agreements", statuses.Select(s => Items(s.Agreements.Select(a => (a.Text, (IEnumerable<Evidence>)a.Evidence)))));
            Row(sb, "Exchanges", statuses.Select(s => Items(s.Exchanges.Select(e => ($"{e.Text} ({(e.Kind == "exchange-underway" ? "under way" : "completed")})", (IEnumerable<Evidence>)e.Evidence)))));
            Row(sb, "Totals received", statuses.Select(s => Items(s.Totals.Select(t => ($"{Naming.Kebab(t.Category.ToString()).Replace('-', ' ')} to {t.ToParty}: {t}", (IEnumerable<Evidence>)t.Evidence)))));
            Row(sb, "Disputed", statuses.Select(s => Items(s.Disputes.Select(d => ($"{d.DevelopmentKey} — {d.Fact}: {string.Join(" vs ", d.Versions.Select(v => $"{v.Value} ({Sources(v.Evidence)})"))}", Enumerable.Empty<Evidence>())))));
            Row(sb, "Last change", statuses.Select(s => s.LastChange is null ? "—" : $"{s.LastChange.Occurred}: {string.Join(", ", s.LastChange.DevelopmentKeys)}"));
            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Phase(TrackStatus s) =>
        s.Phase.Disputed
            ? $"**{PhaseText(s.Phase.Value)}** ({Sources(s.Phase.Evidence)}), or **{PhaseText(s.Phase.Alternative!.Value)}** ({Sources(s.Phase.AlternativeEvidence)}): disputed"
            : s.Phase.Evidence.Count == 0 ? $"**{PhaseText(s.Phase.Value)}**" : $"**{PhaseText(s.Phase.Value)}** ({Sources(s.Phase.Evidence)})";

    private static string PhaseText(Phase phase) => StatusCommand.PhaseText(phase);

    private static string StateText(ProposalState state) => Naming.Kebab(state.ToString()).Replace('-', ' ');

    private static string Items(IEnumerable<(string Text, IEnumerable<Evidence> Evidence)> items)
    {
        var list = items.Select(i => i.Evidence.Any() ? $"{Escape(i.Text)} [{Sources(i.Evidence)}]" : Escape(i.Text)).ToList();
        return list.Count == 0 ? "—" : string.Join("<br>", list);
    }

    private static string Sources(IEnumerable<Evidence> evidence) => string.Join(", ", evidence.Select(e => e.SourceId).Distinct().Order(StringComparer.Ordinal));

    private static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static void Row(StringBuilder sb, string label, IEnumerable<string> cells) =>
        sb.Append(CultureInfo.InvariantCulture, $"| {label} | {string.Join(" | ", cells)} |\n");
}
