using System.Text.Json.Serialization.Metadata;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Provenance;
using Ledger.Domain.Recording;

namespace Ledger.Domain.Developments;

/// <summary>
/// One kind of development: its name in files, JSON and the store, its event record, the fields a report of it may
/// carry beyond the common ones, and how those fields are read into the event.
/// </summary>
public sealed record DevelopmentKind(string Name, Type Type, IReadOnlyList<string> Fields, Func<KindReader, Claim, Development> Read);

/// <summary>
/// The table of development kinds. Adding a kind touches its event record (DevelopmentEvents.cs), its row here,
/// its rule in the status fold (TrackStatusFold) and a test; the store's event types, the JSON discriminator and
/// the names files and the API accept all come from this table.
/// </summary>
public static class DevelopmentKinds
{
    public static IReadOnlyList<DevelopmentKind> All { get; } =
    [
        Kind<ProposalMade>("proposal-made", ["proposed-by", "proposed-to", "text"],
            (r, c) => new ProposalMade(c, r.Party("proposed-by"), r.OptionalParty("proposed-to"), r.Text("text"))),
        Kind<ProposalAnswered>("proposal-answered", ["proposal", "responding-party", "response", "text"],
            (r, c) => new ProposalAnswered(c, r.Text("proposal"), r.Party("responding-party"), r.Required<ProposalResponse>("response"), r.Text("text"))),
        Kind<AgreementReached>("agreement-reached", ["parties", "text"],
            (r, c) => new AgreementReached(c, r.Parties("parties"), r.Text("text"))),
        Kind<ExchangeCompleted>("exchange-completed", ["category", "transfers", "text"],
            (r, c) => new ExchangeCompleted(c, r.Required<ExchangeCategory>("category"), r.Transfers("transfers"), r.Text("text"))),
        Kind<ExchangeUnderway>("exchange-underway", ["category", "transfers", "text"],
            (r, c) => new ExchangeUnderway(c, r.Required<ExchangeCategory>("category"), r.Transfers("transfers"), r.Text("text"))),
        Kind<PositionStated>("position-stated", ["party", "topic", "position"],
            (r, c) => new PositionStated(c, r.Party("party"), r.Text("topic"), r.Text("position"))),
        Kind<MeetingHeld>("meeting-held", ["round", "venue", "chair", "duration", "participants", "text"],
            (r, c) => new MeetingHeld(c, r.Fields.Optional("round"), r.Fields.Optional("venue"), r.Fields.Optional("chair"), r.Fields.Optional("duration"), r.Fields.StringList("participants"), r.Text("text"))),
        Kind<DelegationChanged>("delegation-changed", ["party", "head", "joined", "left", "size-before", "size-after", "text"],
            (r, c) => new DelegationChanged(c, r.Party("party"), r.Fields.Optional("head"), r.Fields.StringList("joined"), r.Fields.StringList("left"), r.Fields.OptionalInt("size-before", min: 0), r.Fields.OptionalInt("size-after", min: 0), r.Text("text"))),
        Kind<DocumentHandedOver>("document-handed-over", ["document", "from", "to", "text"],
            (r, c) => new DocumentHandedOver(c, r.Text("document"), r.Party("from"), r.OptionalParty("to"), r.Text("text"))),
        Kind<AssessmentMade>("assessment-made", ["by", "outlook", "text"],
            (r, c) => new AssessmentMade(c, r.OptionalParty("by"), r.Fields.Enum<Outlook>("outlook", required: false) ?? Outlook.Neutral, r.Text("text"))),
        Kind<DeadlineSet>("deadline-set", ["set-by", "due", "demand", "consequence"],
            (r, c) => new DeadlineSet(c, r.Party("set-by"), r.Date("due", required: false), r.Text("demand"), r.Fields.Optional("consequence"))),
        Kind<ReportCorrected>("report-corrected", ["corrects", "text"],
            (r, c) => new ReportCorrected(c, r.Reference("corrects", c.NegotiationId), r.Text("text"))),
        Kind<ReportRetracted>("report-retracted", ["retracts", "text"],
            (r, c) => new ReportRetracted(c, r.Reference("retracts", c.NegotiationId), r.Text("text"))),
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

    private static DevelopmentKind Kind<T>(string name, string[] fields, Func<KindReader, Claim, T> read)
        where T : Development => new(name, typeof(T), fields, (r, c) => read(r, c));
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

    public IReadOnlyList<Transfer> Transfers(string field)
    {
        var transfers = new List<Transfer>();
        foreach (var transfer in Fields.Mappings(field))
        {
            transfer.RejectUnknown(new HashSet<string> { "to", "count" });
            var to = transfer.Required("to");
            if (to.Length > 0 && !negotiation.HasParty(to))
            {
                transfer.Error("to", $"unknown party '{to}'", transfer.NodeOf("to"));
            }

            var countText = transfer.Optional("count");
            Quantity? count = null;
            if (countText is not null && !Quantity.TryParse(countText, out count))
            {
                transfer.Error("count", $"'{Fields.Shorten(countText)}' is not a count (a number such as 1,200, optionally after 'at least', 'more than', 'about' or 'up to')", transfer.NodeOf("count"));
            }

            transfers.Add(new Transfer(to, count));
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
