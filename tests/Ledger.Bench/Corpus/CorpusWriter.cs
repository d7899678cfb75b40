using System.Globalization;
using System.Text;
using Ledger.Domain.Developments;

namespace Ledger.Bench.Corpus;

/// <summary>What was written: counts, and where.</summary>
public sealed record CorpusFiles(string Root, string Seeds, string Events, int Negotiations, int Sources, int EventFiles, int Claims, long Bytes);

/// <summary>
/// Writes a generated corpus as the importer reads it: <c>seeds/&lt;id&gt;.txt|yaml</c> and
/// <c>events/&lt;negotiation&gt;/negotiation.yaml</c> plus one development file per article, streaming.
/// </summary>
public static class CorpusWriter
{
    private static readonly UTF8Encoding Utf8 = new(false);

    public static CorpusFiles Write(CorpusGenerator generator, string root)
    {
        var seeds = Path.Combine(root, "seeds");
        var events = Path.Combine(root, "events");
        Directory.CreateDirectory(seeds);
        Directory.CreateDirectory(events);
        int negotiations = 0, sources = 0, files = 0, claims = 0;
        long bytes = 0;
        var fileNumber = 0;
        string folder = events;
        foreach (var item in generator.Generate())
        {
            switch (item)
            {
                case NegotiationItem n:
                    negotiations++;
                    fileNumber = 0;
                    folder = Path.Combine(events, n.Negotiation.Id);
                    Directory.CreateDirectory(folder);
                    bytes += WriteText(Path.Combine(folder, "negotiation.yaml"), NegotiationYaml(n.Negotiation));
                    break;
                case ArticleItem a:
                    var article = a.Article;
                    sources++;
                    bytes += WriteText(Path.Combine(seeds, article.SourceId + ".txt"), article.Text);
                    bytes += WriteText(Path.Combine(seeds, article.SourceId + ".yaml"), SourceYaml(article));
                    files++;
                    claims += article.Claims.Count;
                    bytes += WriteText(Path.Combine(folder, $"{fileNumber++:000000}.yaml"), DevelopmentsYaml(article));
                    break;
            }
        }

        return new CorpusFiles(root, seeds, events, negotiations, sources, files, claims, bytes);
    }

    private static long WriteText(string path, string text)
    {
        var data = Utf8.GetBytes(text);
        File.WriteAllBytes(path, data);
        return data.Length;
    }

    public static string Q(string? s) => s is null ? "null" : "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string NegotiationYaml(NegotiationSpec n)
    {
        var b = new StringBuilder();
        b.Append("negotiation: ").Append(n.Id).Append('\n');
        b.Append("title: ").Append(Q(n.Title)).Append('\n');
        b.Append("description: ").Append(Q("A synthetic negotiation for benchmarks")).Append('\n');
        b.Append("parties:\n");
        foreach (var p in n.Parties)
        {
            b.Append("  - { id: ").Append(p.Id).Append(", name: ").Append(Q(p.Name)).Append(", role: ").Append(p.Role.ToString().ToLowerInvariant()).Append(" }\n");
        }

        b.Append("actors:\n");
        foreach (var a in n.Actors)
        {
            b.Append("  - id: ").Append(a.Id).Append('\n');
            b.Append("    name: ").Append(Q(a.Name)).Append('\n');
            b.Append("    party: ").Append(a.PartyId).Append('\n');
            b.Append("    role: ").Append(Q(a.Role)).Append('\n');
            b.Append("    aliases: [").Append(string.Join(", ", a.Aliases.Select(Q))).Append("]\n");
        }

        b.Append("tracks:\n");
        foreach (var t in n.Tracks)
        {
            b.Append("  - { id: ").Append(t.Id).Append(", title: ").Append(Q(t.Title));
            if (t.Description is not null)
            {
                b.Append(", description: ").Append(Q(t.Description));
            }

            b.Append(" }\n");
        }

        return b.ToString();
    }

    public static string SourceYaml(Article a) =>
        $"""
        outlet: {Q(a.Outlet)}
        title: {Q(a.Title)}
        url: null
        published: {D(a.Published)}
        published-as-printed: {Q(a.Published.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture))}
        published-note: null
        language: en
        translation-note: null

        """;

    public static string DevelopmentsYaml(Article a)
    {
        var b = new StringBuilder();
        b.Append("# Synthetic: the developments reported by ").Append(a.SourceId).Append('\n');
        b.Append("negotiation: ").Append(a.NegotiationId).Append('\n');
        b.Append("developments:\n");
        foreach (var (d, target) in a.Claims)
        {
            var c = d.Claim;
            b.Append("  - key: ").Append(c.DevelopmentKey).Append('\n');
            b.Append("    track: ").Append(c.TrackId).Append('\n');
            b.Append("    kind: ").Append(d.Kind).Append('\n');
            b.Append("    occurred: ").Append(Q(c.Provenance.Occurred.ToString())).Append('\n');
            Fields(b, d, target);
            b.Append("    reports:\n");
            b.Append("      - source: ").Append(c.Provenance.SourceId).Append('\n');
            if (c.Provenance.SaidBy is { } by)
            {
                if (by.AsNamed is not null)
                {
                    b.Append("        said-by: ").Append(Q(by.AsNamed)).Append('\n');
                }
                else if (by.Party is not null)
                {
                    b.Append("        said-by-party: ").Append(by.Party).Append('\n');
                }
            }

            b.Append("        quote: ").Append(Q(c.Provenance.Quote.Exact)).Append('\n');
        }

        return b.ToString();
    }

    private static void Field(StringBuilder b, string name, string? value)
    {
        if (value is not null)
        {
            b.Append("    ").Append(name).Append(": ").Append(Q(value)).Append('\n');
        }
    }

    private static void List(StringBuilder b, string name, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            b.Append("    ").Append(name).Append(": [").Append(string.Join(", ", values.Select(Q))).Append("]\n");
        }
    }

    private static string Kebab(Enum e) => CorpusGenerator.Kebab(string.Concat(e.ToString().Select((ch, i) => i > 0 && char.IsUpper(ch) ? " " + ch : ch.ToString())));

    private static void Reference(StringBuilder b, string name, ClaimRef? target)
    {
        var t = target ?? throw new InvalidOperationException($"{name} needs its target");
        b.Append("    ").Append(name).Append(": { development: ").Append(t.DevelopmentKey).Append(", source: ").Append(t.SourceId)
            .Append(", quote: ").Append(Q(t.Quote)).Append(" }\n");
    }

    private static void Fields(StringBuilder b, Development d, ClaimRef? target)
    {
        switch (d)
        {
            case ProposalMade p:
                Field(b, "proposed-by", p.ProposedBy);
                Field(b, "proposed-to", p.ProposedTo);
                Field(b, "text", p.Text);
                break;
            case ProposalAnswered p:
                Field(b, "proposal", p.ProposalKey);
                Field(b, "responding-party", p.RespondingParty);
                Field(b, "response", Kebab(p.Response));
                Field(b, "text", p.Text);
                break;
            case AgreementReached p:
                List(b, "parties", p.Parties);
                Field(b, "text", p.Text);
                break;
            case ExchangeReported x:
                Field(b, "category", Kebab(x.Category));
                b.Append("    transfers:\n");
                foreach (var t in x.Transfers)
                {
                    b.Append("      - { to: ").Append(t.ToParty);
                    if (t.Count is { } count)
                    {
                        var qualifier = count.Qualifier == Domain.Developments.QuantityQualifier.Exactly ? "" : Kebab(count.Qualifier).Replace('-', ' ') + " ";
                        b.Append(", count: ").Append(Q(qualifier + count.Value.ToString(CultureInfo.InvariantCulture)));
                    }

                    b.Append(" }\n");
                }

                Field(b, "text", x.Text);
                break;
            case PositionStated p:
                Field(b, "party", p.Party);
                Field(b, "topic", p.Topic);
                Field(b, "position", p.Position);
                break;
            case MeetingHeld m:
                Field(b, "round", m.Round);
                Field(b, "venue", m.Venue);
                Field(b, "chair", m.Chair);
                Field(b, "duration", m.Duration);
                List(b, "participants", m.Participants);
                Field(b, "text", m.Text);
                break;
            case DelegationChanged m:
                Field(b, "party", m.Party);
                Field(b, "head", m.Head);
                List(b, "joined", m.Joined);
                List(b, "left", m.Left);
                Field(b, "size-before", m.SizeBefore?.ToString(CultureInfo.InvariantCulture));
                Field(b, "size-after", m.SizeAfter?.ToString(CultureInfo.InvariantCulture));
                Field(b, "text", m.Text);
                break;
            case DocumentHandedOver m:
                Field(b, "document", m.Document);
                Field(b, "from", m.FromParty);
                Field(b, "to", m.ToParty);
                Field(b, "text", m.Text);
                break;
            case AssessmentMade m:
                Field(b, "by", m.ByParty);
                Field(b, "outlook", Kebab(m.Outlook));
                Field(b, "text", m.Assessment);
                break;
            case DeadlineSet m:
                Field(b, "set-by", m.SetBy);
                Field(b, "due", m.Due?.ToString());
                Field(b, "demand", m.Demand);
                Field(b, "consequence", m.Consequence);
                break;
            case ReportCorrected r:
                Reference(b, "corrects", target);
                Field(b, "text", r.Correction);
                break;
            case ReportRetracted r:
                Reference(b, "retracts", target);
                Field(b, "text", r.Reason);
                break;
            default:
                throw new InvalidOperationException($"no YAML for {d.Kind}");
        }
    }
}
