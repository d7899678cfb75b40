using System.Globalization;
using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Provenance;

namespace Ledger.Import;

/// <summary>What a development file may refer to: registered sources (text and publication date).</summary>
public sealed record SourceText(string Id, string Text, DateOnly Published);

/// <summary>
/// Reads a development file into claims: each report of each development becomes one event, its quote
/// verified against the registered text of its source and anchored to character offsets.
/// </summary>
public static class DevelopmentFile
{
    private static readonly HashSet<string> CommonFields =
    [
        "key", "track", "kind", "occurred", "source", "quote", "prefix", "suffix", "said-by", "said-by-party",
        "role-as-given", "note", "reports",
    ];

    private static readonly Dictionary<string, string[]> KindFields = new()
    {
        ["proposal-made"] = ["proposed-by", "proposed-to", "text"],
        ["proposal-answered"] = ["proposal", "responding-party", "response", "text"],
        ["agreement-reached"] = ["parties", "text"],
        ["exchange-completed"] = ["category", "transfers", "text"],
        ["exchange-underway"] = ["category", "transfers", "text"],
        ["position-stated"] = ["party", "topic", "position"],
        ["meeting-held"] = ["round", "venue", "chair", "duration", "participants", "text"],
        ["delegation-changed"] = ["party", "head", "joined", "left", "size-before", "size-after", "text"],
        ["document-handed-over"] = ["document", "from", "to", "text"],
        ["assessment-made"] = ["by", "outlook", "text"],
        ["deadline-set"] = ["set-by", "due", "demand", "consequence"],
        ["report-corrected"] = ["corrects", "text"],
        ["report-retracted"] = ["retracts", "text"],
    };

    private static readonly HashSet<string> AllFields = [.. CommonFields, .. KindFields.Values.SelectMany(f => f)];

    /// <summary>The source ids a file refers to, so only those sources need to be read before it is checked.</summary>
    public static IReadOnlySet<string> SourceIdsIn(YamlFields file)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in file.Node.AllNodes.OfType<YamlDotNet.RepresentationModel.YamlMappingNode>())
        {
            foreach (var (key, value) in node.Children)
            {
                if (key is YamlDotNet.RepresentationModel.YamlScalarNode { Value: "source" } && value is YamlDotNet.RepresentationModel.YamlScalarNode { Value: { Length: > 0 } id })
                {
                    ids.Add(id);
                }
            }
        }

        return ids;
    }

    public static IReadOnlyList<Development> Read(
        YamlFields file,
        Func<string, Negotiation?> findNegotiation,
        Func<string, SourceText?> findSource)
    {
        file.RejectUnknown(new HashSet<string> { "negotiation", "developments" });
        var negotiationId = file.Required("negotiation");
        var negotiation = negotiationId.Length == 0 ? null : findNegotiation(negotiationId);
        if (negotiationId.Length > 0 && negotiation is null)
        {
            file.Error("negotiation", $"unknown negotiation '{negotiationId}' (register it in {NegotiationFile.FileName})", file.NodeOf("negotiation"));
            return [];
        }

        var claims = new List<Development>();
        foreach (var development in file.Mappings("developments"))
        {
            development.RejectUnknown(AllFields);
            var reports = development.Mappings("reports");
            if (reports.Count == 0)
            {
                development.Error("reports", "a development needs at least one report (source and quote)");
            }

            foreach (var report in reports)
            {
                var merged = development.Overlay(report.Node, report.Path);
                merged.RejectUnknown(AllFields);
                if (ReadClaim(merged, negotiation!, findSource) is { } claim)
                {
                    claims.Add(claim);
                }
            }
        }

        var duplicates = claims.GroupBy(c => c.Claim.ClaimId).Where(g => g.Count() > 1).Select(g => g.First());
        foreach (var duplicate in duplicates)
        {
            file.Error("developments", $"the report of '{duplicate.Claim.DevelopmentKey}' from '{duplicate.Claim.Provenance.SourceId}' quoting \"{duplicate.Claim.Provenance.Quote.Exact}\" appears twice");
        }

        return claims;
    }

    private static Development? ReadClaim(YamlFields f, Negotiation negotiation, Func<string, SourceText?> findSource)
    {
        var before = f.Errors.Count;
        var key = f.Required("key");
        NegotiationFile.CheckKey(f, "key", key);
        var trackId = f.Required("track");
        if (trackId.Length > 0 && !negotiation.HasTrack(trackId))
        {
            f.Error("track", $"unknown track '{trackId}'", f.NodeOf("track"));
        }

        var kind = f.Required("kind");
        if (kind.Length > 0 && !KindFields.ContainsKey(kind))
        {
            f.Error("kind", $"unknown kind '{kind}'; expected one of: {string.Join(", ", KindFields.Keys)}", f.NodeOf("kind"));
            kind = "";
        }

        var occurred = ReadDate(f, "occurred", required: true);
        var sourceId = f.Required("source");
        var source = sourceId.Length == 0 ? null : findSource(sourceId);
        if (sourceId.Length > 0 && source is null)
        {
            f.Error("source", $"unknown source '{sourceId}' (add seeds/{sourceId}.txt and seeds/{sourceId}.yaml)", f.NodeOf("source"));
        }

        var exact = f.Required("quote");
        QuoteAnchor? anchor = null;
        if (source is not null && exact.Length > 0)
        {
            var lookup = QuoteLocator.Locate(source.Text, exact, f.Optional("prefix"), f.Optional("suffix"));
            anchor = lookup.Anchor;
            switch (lookup.Problem)
            {
                case QuoteProblem.NotFound:
                    f.Error("quote", $"not found verbatim in source '{sourceId}': \"{Shorten(exact)}\"", f.NodeOf("quote"));
                    break;
                case QuoteProblem.Ambiguous:
                    f.Error("quote", $"occurs {lookup.Occurrences} times in source '{sourceId}'; add a prefix or suffix to make it unique", f.NodeOf("quote"));
                    break;
            }
        }

        var attribution = ReadAttribution(f, negotiation);
        if (f.Errors.Count > before || kind.Length == 0 || anchor is null || occurred is null || source is null)
        {
            return null;
        }

        var claim = new Claim(
            Claim.IdFor(negotiation.Id, key, sourceId, exact),
            negotiation.Id,
            trackId,
            key,
            new Provenance(sourceId, anchor, attribution, occurred, source.Published),
            f.Optional("note"));

        var development = Build(kind, claim, f, negotiation);
        return f.Errors.Count > before ? null : development;
    }

    private static Development? Build(string kind, Claim claim, YamlFields f, Negotiation negotiation)
    {
        string Party(string field, bool required = true)
        {
            var party = required ? f.Required(field) : f.Optional(field) ?? "";
            if (party.Length > 0 && !negotiation.HasParty(party))
            {
                f.Error(field, $"unknown party '{party}'", f.NodeOf(field));
            }

            return party;
        }

        IReadOnlyList<string> Parties(string field)
        {
            var parties = f.StringList(field);
            foreach (var party in parties.Where(p => !negotiation.HasParty(p)))
            {
                f.Error(field, $"unknown party '{party}'", f.NodeOf(field));
            }

            return parties;
        }

        string? OptionalParty(string field) => Party(field, required: false) is { Length: > 0 } p ? p : null;

        return kind switch
        {
            "proposal-made" => new ProposalMade(claim, Party("proposed-by"), OptionalParty("proposed-to"), f.Required("text")),
            "proposal-answered" => new ProposalAnswered(claim, f.Required("proposal"), Party("responding-party"), f.Enum<ProposalResponse>("response", required: true) ?? default, f.Required("text")),
            "agreement-reached" => new AgreementReached(claim, Parties("parties"), f.Required("text")),
            "exchange-completed" => new ExchangeCompleted(claim, f.Enum<ExchangeCategory>("category", required: true) ?? default, Transfers(f, negotiation), f.Required("text")),
            "exchange-underway" => new ExchangeUnderway(claim, f.Enum<ExchangeCategory>("category", required: true) ?? default, Transfers(f, negotiation), f.Required("text")),
            "position-stated" => new PositionStated(claim, Party("party"), f.Required("topic"), f.Required("position")),
            "meeting-held" => new MeetingHeld(claim, f.Optional("round"), f.Optional("venue"), f.Optional("chair"), f.Optional("duration"), f.StringList("participants"), f.Required("text")),
            "delegation-changed" => new DelegationChanged(claim, Party("party"), f.Optional("head"), f.StringList("joined"), f.StringList("left"), f.OptionalInt("size-before"), f.OptionalInt("size-after"), f.Required("text")),
            "document-handed-over" => new DocumentHandedOver(claim, f.Required("document"), Party("from"), OptionalParty("to"), f.Required("text")),
            "assessment-made" => new AssessmentMade(claim, OptionalParty("by"), f.Enum<Outlook>("outlook", required: false) ?? Outlook.Neutral, f.Required("text")),
            "deadline-set" => new DeadlineSet(claim, Party("set-by"), ReadDate(f, "due", required: false), f.Required("demand"), f.Optional("consequence")),
            "report-corrected" => new ReportCorrected(claim, Reference(f, "corrects", claim.NegotiationId), f.Required("text")),
            "report-retracted" => new ReportRetracted(claim, Reference(f, "retracts", claim.NegotiationId), f.Required("text")),
            _ => null,
        };
    }

    /// <summary>The claim id of an earlier report, named by its development, source and quote.</summary>
    private static Guid Reference(YamlFields f, string field, string negotiationId)
    {
        var target = f.Mapping(field);
        if (target is null)
        {
            f.Error(field, "is required: { development, source, quote } of the earlier report");
            return Guid.Empty;
        }

        target.RejectUnknown(new HashSet<string> { "development", "source", "quote" });
        return Claim.IdFor(negotiationId, target.Required("development"), target.Required("source"), target.Required("quote"));
    }

    private static List<Transfer> Transfers(YamlFields f, Negotiation negotiation)
    {
        var transfers = new List<Transfer>();
        foreach (var transfer in f.Mappings("transfers"))
        {
            transfer.RejectUnknown(new HashSet<string> { "to", "count" });
            var to = transfer.Required("to");
            if (to.Length > 0 && !negotiation.HasParty(to))
            {
                transfer.Error("to", $"unknown party '{to}'", transfer.NodeOf("to"));
            }

            var countText = transfer.Optional("count");
            Quantity? count = null;
            if (countText is not null && !TryParseQuantity(countText, out count))
            {
                transfer.Error("count", $"'{countText}' is not a count (a number, optionally after 'at least', 'more than', 'about' or 'up to')", transfer.NodeOf("count"));
            }

            transfers.Add(new Transfer(to, count));
        }

        return transfers;
    }

    public static bool TryParseQuantity(string text, out Quantity? quantity)
    {
        quantity = null;
        var s = text.Trim();
        var qualifier = QuantityQualifier.Exactly;
        foreach (var (prefix, q) in new[] { ("at least ", QuantityQualifier.AtLeast), ("more than ", QuantityQualifier.MoreThan), ("about ", QuantityQualifier.About), ("up to ", QuantityQualifier.UpTo) })
        {
            if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                qualifier = q;
                s = s[prefix.Length..];
                break;
            }
        }

        if (int.TryParse(s.Replace(",", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            quantity = new Quantity(value, qualifier);
            return true;
        }

        return false;
    }

    private static Attribution? ReadAttribution(YamlFields f, Negotiation negotiation)
    {
        var saidBy = f.Optional("said-by");
        var party = f.Optional("said-by-party");
        var role = f.Optional("role-as-given");
        if (party is not null && !negotiation.HasParty(party))
        {
            f.Error("said-by-party", $"unknown party '{party}'", f.NodeOf("said-by-party"));
        }

        if (saidBy is null)
        {
            return party is null ? null : new Attribution(party, null, null, role);
        }

        var actor = negotiation.FindActor(saidBy);
        if (actor is null)
        {
            f.Error("said-by", $"unknown actor '{saidBy}' (register the name or alias in {NegotiationFile.FileName})", f.NodeOf("said-by"));
            return null;
        }

        return new Attribution(party ?? actor.PartyId, actor.Id, saidBy, role);
    }

    private static FuzzyDate? ReadDate(YamlFields f, string field, bool required)
    {
        var text = required ? f.Required(field) : f.Optional(field);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (FuzzyDate.TryParse(text, out var date))
        {
            return date;
        }

        f.Error(field, $"'{text}' is not a date (2025-07-23, 2025-07, 'before 2025-07-23', 'by 2025-08-31' or 'by end of 2025-08') in the years {FuzzyDate.MinYear} to {FuzzyDate.MaxYear}", f.NodeOf(field));
        return null;
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : string.Concat(s.AsSpan(0, 77), "...");
}
