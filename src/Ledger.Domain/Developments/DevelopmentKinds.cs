using System.Text.Json.Serialization.Metadata;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Provenance;
using Ledger.Domain.Recording;

namespace Ledger.Domain.Developments;

/// <summary>
/// One kind of development: its name in files, JSON and the store, its event record, the fields a report of it may
/// carry beyond the common ones, how those fields are read into the event, and how the event is written back as
/// those fields (what an export writes and an import reads back to the same event).
/// </summary>
public sealed record DevelopmentKind(
    string Name,
    Type Type,
    IReadOnlyList<string> Fields,
    Func<KindReader, Claim, Development> Read,
    Action<KindWriter, Development> Write);

/// <summary>
/// The table of development kinds. Adding a kind touches its event record (DevelopmentEvents.cs), its row here
/// (reader and writer side by side), its rule in the status fold (TrackStatusFold), its representative event in
/// DevelopmentKindsTests and a test of its rule; the store's event types, the JSON discriminator, the names files
/// and the API accept, and the fields exports write all come from this table.
/// </summary>
public static class DevelopmentKinds
{
    public static IReadOnlyList<DevelopmentKind> All { get; } =
    [
        Kind<ProposalMade>("proposal-made", ["proposed-by", "proposed-to", "quantities", "due", "text"],
            (r, c) => new ProposalMade(c, r.Party("proposed-by"), r.OptionalParty("proposed-to"), r.Text("text")) { Quantities = r.Quantities("quantities"), Due = r.Date("due", required: false) },
            (w, d) => w.Text("proposed-by", d.ProposedBy).Text("proposed-to", d.ProposedTo).Quantities("quantities", d.Quantities).Date("due", d.Due).Text("text", d.Text)),
        Kind<ProposalAnswered>("proposal-answered", ["proposal", "responding-party", "response", "accepted", "text"],
            (r, c) => new ProposalAnswered(c, r.Text("proposal"), r.Party("responding-party"), r.Required<ProposalResponse>("response"), r.Text("text")) { Accepted = r.Fields.Optional("accepted") },
            (w, d) => w.Key("proposal", d.ProposalKey).Text("responding-party", d.RespondingParty).Choice("response", d.Response).Text("accepted", d.Accepted).Text("text", d.Text)),
        Kind<AgreementReached>("agreement-reached", ["parties", "quantities", "due", "text"],
            (r, c) => new AgreementReached(c, r.Parties("parties"), r.Text("text")) { Quantities = r.Quantities("quantities"), Due = r.Date("due", required: false) },
            (w, d) => w.Texts("parties", d.Parties).Quantities("quantities", d.Quantities).Date("due", d.Due).Text("text", d.Text)),
        Kind<ExchangeCompleted>("exchange-completed", ["category", "transfers", "implements", "text"],
            (r, c) => new ExchangeCompleted(c, r.Category("category"), r.Transfers("transfers"), r.Text("text")) { Implements = r.Implements("implements") },
            WriteExchange),
        Kind<ExchangeUnderway>("exchange-underway", ["category", "transfers", "implements", "text"],
            (r, c) => new ExchangeUnderway(c, r.Category("category"), r.Transfers("transfers"), r.Text("text")) { Implements = r.Implements("implements") },
            WriteExchange),
        Kind<PositionStated>("position-stated", ["party", "topic", "position"],
            (r, c) => new PositionStated(c, r.Party("party"), r.Text("topic"), r.Text("position")),
            (w, d) => w.Text("party", d.Party).Text("topic", d.Topic).Text("position", d.Position)),
        Kind<MeetingHeld>("meeting-held", ["round", "venue", "chair", "duration", "participants", "text"],
            (r, c) => new MeetingHeld(c, r.Fields.Optional("round"), r.Fields.Optional("venue"), r.Fields.Optional("chair"), r.Fields.Optional("duration"), r.Fields.StringList("participants"), r.Text("text")),
            (w, d) => w.Text("round", d.Round).Text("venue", d.Venue).Text("chair", d.Chair).Text("duration", d.Duration).Texts("participants", d.Participants).Text("text", d.Text)),
        Kind<DelegationChanged>("delegation-changed", ["party", "head", "joined", "left", "size-before", "size-after", "text"],
            (r, c) => new DelegationChanged(c, r.Party("party"), r.Fields.Optional("head"), r.Fields.StringList("joined"), r.Fields.StringList("left"), r.Fields.OptionalInt("size-before", min: 0), r.Fields.OptionalInt("size-after", min: 0), r.Text("text")),
            (w, d) => w.Text("party", d.Party).Text("head", d.Head).Texts("joined", d.Joined).Texts("left", d.Left).Number("size-before", d.SizeBefore).Number("size-after", d.SizeAfter).Text("text", d.Text)),
        Kind<DocumentHandedOver>("document-handed-over", ["document", "from", "to", "text"],
            (r, c) => new DocumentHandedOver(c, r.Text("document"), r.Party("from"), r.OptionalParty("to"), r.Text("text")),
            (w, d) => w.Text("document", d.Document).Text("from", d.FromParty).Text("to", d.ToParty).Text("text", d.Text)),
        Kind<AssessmentMade>("assessment-made", ["by", "outlook", "text"],
            (r, c) => new AssessmentMade(c, r.OptionalParty("by"), r.Fields.Enum<Outlook>("outlook", required: false) ?? Outlook.Neutral, r.Text("text")),
            (w, d) => w.Text("by", d.ByParty).Choice("outlook", d.Outlook).Text("text", d.Assessment)),
        Kind<DeadlineSet>("deadline-set", ["set-by", "due", "demand", "consequence"],
            (r, c) => new DeadlineSet(c, r.Party("set-by"), r.Date("due", required: false), r.Text("demand"), r.Fields.Optional("consequence")),
            (w, d) => w.Text("set-by", d.SetBy).Date("due", d.Due).Text("demand", d.Demand).Text("consequence", d.Consequence)),
        Kind<TotalReported>("total-reported", ["agreement", "category", "transfers", "complete", "text"],
            (r, c) => new TotalReported(c, r.Text("agreement"), r.Category("category"), r.Transfers("transfers"), r.Flag("complete"), r.Text("text")),
            (w, d) => w.Key("agreement", d.AgreementKey).Text("category", d.Category).Transfers("transfers", d.Transfers).Flag("complete", d.Complete).Text("text", d.Text)),
        Kind<CallHeld>("call-held", ["participants", "text"],
            (r, c) => new CallHeld(c, r.Fields.StringList("participants"), r.Text("text")),
            (w, d) => w.Texts("participants", d.Participants).Text("text", d.Text)),
        Kind<SummitHeld>("summit-held", ["venue", "participants", "text"],
            (r, c) => new SummitHeld(c, r.Fields.Optional("venue"), r.Fields.StringList("participants"), r.Text("text")),
            (w, d) => w.Text("venue", d.Venue).Texts("participants", d.Participants).Text("text", d.Text)),
        Kind<StatementMade>("statement-made", ["by", "text"],
            (r, c) => new StatementMade(c, r.Party("by"), r.Text("text")),
            (w, d) => w.Text("by", d.By).Text("text", d.Text)),
        Kind<MeetingPlanned>("meeting-planned", ["venue", "planned-for", "led-by", "participants", "round", "text"],
            (r, c) => new MeetingPlanned(c, r.Fields.Optional("venue"), r.Date("planned-for", required: false), r.Fields.Optional("led-by"), r.Fields.StringList("participants"), r.Fields.Optional("round"), r.Text("text")),
            (w, d) => w.Text("venue", d.Venue).Date("planned-for", d.PlannedFor).Text("led-by", d.LedBy).Texts("participants", d.Participants).Text("round", d.Round).Text("text", d.Text)),
        Kind<AppealMade>("appeal-made", ["by", "to", "text"],
            (r, c) => new AppealMade(c, r.Party("by"), r.Parties("to"), r.Text("text")),
            (w, d) => w.Text("by", d.By).Texts("to", d.To).Text("text", d.Text)),
        Kind<AllegationMade>("allegation-made", ["by", "against", "text"],
            (r, c) => new AllegationMade(c, r.Party("by"), r.Party("against"), r.Text("text")),
            (w, d) => w.Text("by", d.By).Text("against", d.Against).Text("text", d.Text)),
        Kind<ContradictionNoted>("contradiction-noted", ["between", "text"],
            (r, c) => new ContradictionNoted(c, r.Fields.StringList("between"), r.Text("text")),
            (w, d) => w.Keys("between", d.Between).Text("text", d.Text)),
        Kind<ReportCorrected>("report-corrected", ["corrects", "text"],
            (r, c) => new ReportCorrected(c, r.Reference("corrects", c.NegotiationId), r.Text("text")),
            (w, d) => w.Reference("corrects", d.SupersededClaimId).Text("text", d.Correction)),
        Kind<ReportRetracted>("report-retracted", ["retracts", "text"],
            (r, c) => new ReportRetracted(c, r.Reference("retracts", c.NegotiationId), r.Text("text")),
            (w, d) => w.Reference("retracts", d.RetractedClaimId).Text("text", d.Reason)),
    ];

    private static readonly Dictionary<string, DevelopmentKind> ByName = All.ToDictionary(k => k.Name, StringComparer.Ordinal);

    private static readonly Dictionary<Type, DevelopmentKind> ByType = All.ToDictionary(k => k.Type);

    /// <summary>Every concrete event type of a development: what the store registers and claim projections subscribe to.</summary>
    public static IReadOnlyList<Type> Types { get; } = [.. All.Select(k => k.Type)];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(k => k.Name)];

    public static DevelopmentKind? Named(string name) => ByName.GetValueOrDefault(name);

    public static DevelopmentKind Of(Type type) => ByType[type];

    /// <summary>
    /// Lets System.Text.Json write and read any development through its base type, with the kind's name as the
    /// discriminator: every serializer the ledger configures (the store's, the API's) adds this modifier.
    /// </summary>
    public static void DeclarePolymorphism(JsonTypeInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.Type != typeof(Development))
        {
            return;
        }

        info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "$type" };
        foreach (var kind in All)
        {
            info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(kind.Type, kind.Name));
        }
    }

    /// <summary>
    /// The kind-specific fields of <paramref name="development"/> as its row writes them; <paramref name="referenceOf"/>
    /// names an earlier report a correction or retraction points at.
    /// </summary>
    public static KindWriter Write(Development development, Func<Guid, ReportReference> referenceOf)
    {
        ArgumentNullException.ThrowIfNull(development);
        var writer = new KindWriter(referenceOf);
        Of(development.GetType()).Write(writer, development);
        return writer;
    }

    private static void WriteExchange(KindWriter w, ExchangeReported d) =>
        w.Text("category", d.Category).Transfers("transfers", d.Transfers).Implements("implements", d.Implements).Text("text", d.Text);

    private static DevelopmentKind Kind<T>(string name, string[] fields, Func<KindReader, Claim, T> read, Action<KindWriter, T> write)
        where T : Development => new(name, typeof(T), fields, (r, c) => read(r, c), (w, d) => write(w, (T)d));
}

/// <summary>Reads the fields of one report against its negotiation's registry, recording every problem.</summary>
public sealed class KindReader(Fields fields, Negotiation negotiation)
{
    public Fields Fields { get; } = fields;

    public string Text(string field) => Fields.Required(field);

    public string Party(string field)
    {
        var party = Fields.Required(field);
        CheckParty(field, party);
        return party;
    }

    public string? OptionalParty(string field)
    {
        var party = Fields.Optional(field);
        if (party is not null)
        {
            CheckParty(field, party);
        }

        return party;
    }

    public IReadOnlyList<string> Parties(string field)
    {
        var parties = Fields.StringList(field);
        foreach (var party in parties)
        {
            CheckParty(field, party);
        }

        return parties;
    }

    public T Required<T>(string field)
        where T : struct, Enum => Fields.Enum<T>(field, required: true) ?? default;

    public FuzzyDate? Date(string field, bool required) => Recorder.ReadDate(Fields, field, required);

    /// <summary>A category registered for the negotiation (its <c>categories:</c>).</summary>
    public string Category(string field) => CheckCategory(Fields, field, Fields.Required(field));

    public bool Flag(string field) => Fields.Optional(field) switch
    {
        null or "false" or "no" => false,
        "true" or "yes" => true,
        var other => Refuse(other),
    };

    private bool Refuse(string value)
    {
        Fields.Error("complete", $"'{Fields.Shorten(value)}' is not true or false", Fields.NodeOf("complete"));
        return false;
    }

    /// <summary>Quantities per category a proposal or agreement names: <c>[{category, count, to?}]</c>.</summary>
    public IReadOnlyList<CategoryQuantity> Quantities(string field)
    {
        var quantities = new List<CategoryQuantity>();
        foreach (var item in Fields.Mappings(field))
        {
            item.RejectUnknown(new HashSet<string> { "category", "count", "to" });
            var category = CheckCategory(item, "category", item.Required("category"));
            var to = item.Optional("to");
            if (to is not null && !negotiation.HasParty(to))
            {
                item.Error("to", $"unknown party '{to}'", item.NodeOf("to"));
            }

            var countText = item.Required("count");
            if (countText.Length > 0 && Quantity.TryParse(countText, out var count))
            {
                quantities.Add(new CategoryQuantity(category, count!, to));
            }
            else if (countText.Length > 0)
            {
                item.Error("count", CountProblem(countText), item.NodeOf("count"));
            }
        }

        return quantities;
    }

    /// <summary>The agreement an exchange carries out: <c>{agreement: key, stage: n}</c>.</summary>
    public Implementation? Implements(string field)
    {
        var target = Fields.Mapping(field);
        if (target is null)
        {
            return null;
        }

        target.RejectUnknown(new HashSet<string> { "agreement", "stage" });
        var agreement = target.Required("agreement");
        var stage = target.OptionalInt("stage", min: 1);
        return agreement.Length == 0 ? null : new Implementation(agreement, stage);
    }

    private string CheckCategory(Fields fields, string field, string category)
    {
        if (category.Length > 0 && !negotiation.HasCategory(category))
        {
            fields.Error(field, negotiation.Categories.Count == 0
                ? $"unknown category '{Fields.Shorten(category)}': the negotiation registers no categories (add categories: to its registration)"
                : $"unknown category '{Fields.Shorten(category)}'; registered: {string.Join(", ", negotiation.Categories.Select(c => c.Id))}", fields.NodeOf(field));
        }

        return category;
    }

    private static string CountProblem(string text) =>
        $"'{Fields.Shorten(text)}' is not a count (a number such as 1,200, optionally after 'at least', 'more than', 'about' or 'up to', or 'all')";

    public IReadOnlyList<Transfer> Transfers(string field)
    {
        var transfers = new List<Transfer>();
        foreach (var transfer in Fields.Mappings(field))
        {
            transfer.RejectUnknown(new HashSet<string> { "to", "count", "category" });
            var to = transfer.Required("to");
            if (to.Length > 0 && !negotiation.HasParty(to))
            {
                transfer.Error("to", $"unknown party '{to}'", transfer.NodeOf("to"));
            }

            var countText = transfer.Optional("count");
            Quantity? count = null;
            if (countText is not null && !Quantity.TryParse(countText, out count))
            {
                transfer.Error("count", CountProblem(countText), transfer.NodeOf("count"));
            }

            var category = transfer.Optional("category") is { } own ? CheckCategory(transfer, "category", own) : null;
            transfers.Add(new Transfer(to, count, category));
        }

        return transfers;
    }

    /// <summary>The claim id of an earlier report, named by its development, source and quote.</summary>
    public Guid Reference(string field, string negotiationId)
    {
        var target = Fields.Mapping(field);
        if (target is null)
        {
            Fields.Error(field, "is required: { development, source, quote } of the earlier report");
            return Guid.Empty;
        }

        target.RejectUnknown(new HashSet<string> { "development", "source", "quote" });
        return Claim.IdFor(negotiationId, target.Required("development"), target.Required("source"), target.Required("quote"));
    }

    private void CheckParty(string field, string party)
    {
        if (party.Length > 0 && !negotiation.HasParty(party))
        {
            Fields.Error(field, $"unknown party '{party}'", Fields.NodeOf(field));
        }
    }
}
