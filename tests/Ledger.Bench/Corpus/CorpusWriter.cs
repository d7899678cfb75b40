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
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in generator.Generate())
        {
            switch (item)
            {
                case NegotiationItem n:
                    negotiations++;
                    fileNumber = 0;
                    declared.Clear();
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
                    bytes += WriteText(Path.Combine(folder, $"{fileNumber++:000000}.yaml"), DevelopmentsYaml(article, declared));
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
            b.Append("  - { id: ").Append(p.Id).Append(", name: ").Append(Q(p.Name)).Append(", role: ").Append(p.Role).Append(" }\n");
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

        b.Append("categories:\n");
        foreach (var category in CorpusGenerator.Categories)
        {
            b.Append("  - { id: ").Append(category).Append(", name: ").Append(Q(category)).Append(" }\n");
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

    /// <summary>
    /// One article's developments. A development is declared once: the first entry of a key (in this negotiation)
    /// gives its track, kind, date and fields at the development level; every later entry of that key holds only
    /// <c>key</c> and <c>reports</c>, its report carrying its own fields, so a later report that says otherwise
    /// (a dispute, a correction's figure, another kind) never contradicts the declaration.
    /// <paramref name="declared"/> holds the keys declared so far and is updated.
    /// </summary>
    public static string DevelopmentsYaml(Article a, ISet<string> declared)
    {
        var b = new StringBuilder();
        b.Append("# Synthetic: the developments reported by ").Append(a.SourceId).Append('\n');
        b.Append("negotiation: ").Append(a.NegotiationId).Append('\n');
        b.Append("developments:\n");
        foreach (var (d, target) in a.Claims)
        {
            var c = d.Claim;
            b.Append("  - key: ").Append(c.DevelopmentKey).Append('\n');
            if (declared.Add(c.DevelopmentKey))
            {
                Declaration(b, "    ", d, target);
                b.Append("    reports:\n");
                Report(b, d);
            }
            else
            {
                b.Append("    reports:\n");
                Report(b, d);
                Declaration(b, "        ", d, target);
            }
        }

        return b.ToString();
    }

    private static void Declaration(StringBuilder b, string indent, Development d, ClaimRef? target)
    {
        var c = d.Claim;
        b.Append(indent).Append("track: ").Append(c.TrackId).Append('\n');
        b.Append(indent).Append("kind: ").Append(d.Kind).Append('\n');
        b.Append(indent).Append("occurred: ").Append(Q(c.Provenance.Occurred.ToString())).Append('\n');
        Fields(b, indent, d, target);
    }

    private static void Report(StringBuilder b, Development d)
    {
        var c = d.Claim;
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

    private static void Field(StringBuilder b, string indent, string name, string? value)
    {
        if (value is not null)
        {
            b.Append(indent).Append(name).Append(": ").Append(Q(value)).Append('\n');
        }
    }

    private static void List(StringBuilder b, string indent, string name, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            b.Append(indent).Append(name).Append(": [").Append(string.Join(", ", values.Select(Q))).Append("]\n");
        }
    }

    private static string Kebab(Enum e) => CorpusGenerator.Kebab(string.Concat(e.ToString().Select((ch, i) => i > 0 && char.IsUpper(ch) ? " " + ch : ch.ToString())));

    private static void Reference(StringBuilder b, string indent, string name, ClaimRef? target)
    {
        var t = target ?? throw new InvalidOperationException($"{name} needs its target");
        b.Append(indent).Append(name).Append(": { development: ").Append(t.DevelopmentKey).Append(", source: ").Append(t.SourceId)
            .Append(", quote: ").Append(Q(t.Quote)).Append(" }\n");
    }

    private static void Fields(StringBuilder b, string indent, Development d, ClaimRef? target)
    {
        switch (d)
        {
            case ProposalMade p:
                Field(b, indent, "proposed-by", p.ProposedBy);
                Field(b, indent, "proposed-to", p.ProposedTo);
                Field(b, indent, "text", p.Text);
                break;
            case ProposalAnswered p:
                Field(b, indent, "proposal", p.ProposalKey);
                Field(b, indent, "responding-party", p.RespondingParty);
                Field(b, indent, "response", Kebab(p.Response));
                Field(b, indent, "text", p.Text);
                break;
            case AgreementReached p:
                List(b, indent, "parties", p.Parties);
                Field(b, indent, "text", p.Text);
                break;
            case ExchangeReported x:
                Field(b, indent, "category", x.Category);
                b.Append(indent).Append("transfers:\n");
                foreach (var t in x.Transfers)
                {
                    b.Append(indent).Append("  - { to: ").Append(t.ToParty);
                    if (t.Count is { } count)
                    {
                        var qualifier = count.Qualifier == Domain.Developments.QuantityQualifier.Exactly ? "" : Kebab(count.Qualifier).Replace('-', ' ') + " ";
                        b.Append(", count: ").Append(Q(qualifier + count.Value.ToString(CultureInfo.InvariantCulture)));
                    }

                    b.Append(" }\n");
                }

                Field(b, indent, "text", x.Text);
                break;
            case PositionStated p:
                Field(b, indent, "party", p.Party);
                Field(b, indent, "topic", p.Topic);
                Field(b, indent, "position", p.Position);
                break;
            case MeetingHeld m:
                Field(b, indent, "round", m.Round);
                Field(b, indent, "venue", m.Venue);
                Field(b, indent, "chair", m.Chair);
                Field(b, indent, "duration", m.Duration);
                List(b, indent, "participants", m.Participants);
                Field(b, indent, "text", m.Text);
                break;
            case DelegationChanged m:
                Field(b, indent, "party", m.Party);
                Field(b, indent, "head", m.Head);
                List(b, indent, "joined", m.Joined);
                List(b, indent, "left", m.Left);
                Field(b, indent, "size-before", m.SizeBefore?.ToString(CultureInfo.InvariantCulture));
                Field(b, indent, "size-after", m.SizeAfter?.ToString(CultureInfo.InvariantCulture));
                Field(b, indent, "text", m.Text);
                break;
            case DocumentHandedOver m:
                Field(b, indent, "document", m.Document);
                Field(b, indent, "from", m.FromParty);
                Field(b, indent, "to", m.ToParty);
                Field(b, indent, "text", m.Text);
                break;
            case AssessmentMade m:
                Field(b, indent, "by", m.ByParty);
                Field(b, indent, "outlook", Kebab(m.Outlook));
                Field(b, indent, "text", m.Assessment);
                break;
            case DeadlineSet m:
                Field(b, indent, "set-by", m.SetBy);
                Field(b, indent, "due", m.Due?.ToString());
                Field(b, indent, "demand", m.Demand);
                Field(b, indent, "consequence", m.Consequence);
                break;
            case ReportCorrected r:
                Reference(b, indent, "corrects", target);
                Field(b, indent, "text", r.Correction);
                break;
            case ReportRetracted r:
                Reference(b, indent, "retracts", target);
                Field(b, indent, "text", r.Reason);
                break;
            default:
                throw new InvalidOperationException($"no YAML for {d.Kind}");
        }
    }
}
