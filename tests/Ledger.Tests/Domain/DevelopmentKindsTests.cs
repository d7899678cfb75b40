using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Provenance;
using Ledger.Domain.Recording;

namespace Ledger.Tests.Domain;

/// <summary>
/// Every row of the kinds table writes its event as the fields its own reader reads back to the same event: what an
/// export writes, an import records again unchanged. A kind added without a writer, or without a representative
/// event here, fails.
/// </summary>
public sealed class DevelopmentKindsTests
{
    private static readonly Negotiation Talks = new Negotiation(Given.Negotiation, "Talks", null, [], [], [])
        .Apply(new PartyRegistered(Given.Negotiation, "north", "North", "party"))
        .Apply(new PartyRegistered(Given.Negotiation, "south", "South", "party"))
        .Apply(new PartyRegistered(Given.Negotiation, "mediator", "Mediator", "mediator"))
        .Apply(new CategoryRegistered(Given.Negotiation, "prisoners-of-war", "Prisoners of war"))
        .Apply(new CategoryRegistered(Given.Negotiation, "civilians", "Civilians"));

    private static readonly ReportReference Earlier = new("earlier-report", "wire", "An \"earlier\" quote: with a colon");

    private static readonly Guid EarlierId = Claim.IdFor(Given.Negotiation, Earlier.Development, Earlier.Source, Earlier.Quote);

    private static readonly Claim Reported = Given.Claim("the-development", "wire", "2025-03-01", "2025-03-02");

    private static readonly FuzzyDate June = new(new DateOnly(2025, 6, 1), DatePrecision.Month);

    private static readonly IReadOnlyList<Transfer> TwoWays =
    [
        new("north", new Quantity(1200, QuantityQualifier.AtLeast), "civilians"),
        new("south", null),
        new("south", Quantity.AllOfThem, "prisoners-of-war"),
    ];

    private static readonly IReadOnlyList<CategoryQuantity> Quantities =
    [
        new("prisoners-of-war", new Quantity(1000)),
        new("civilians", new Quantity(30, QuantityQualifier.About), "south"),
    ];

    /// <summary>One event per kind with every field of its own set, so each field is written and read back.</summary>
    private static readonly IReadOnlyList<Development> Representatives =
    [
        new ProposalMade(Reported, "north", "south", "exchange 1,000 for 1,000") { Quantities = Quantities, Due = June },
        new ProposalAnswered(Reported, "the-proposal", "south", ProposalResponse.PartlyAccepted, "accepts the first stage") { Accepted = "the first stage" },
        new AgreementReached(Reported, ["north", "south"], "agreed to exchange") { Quantities = Quantities, Due = new FuzzyDate(new DateOnly(2025, 6, 30), DatePrecision.ByEndOf) },
        new ExchangeCompleted(Reported, "prisoners-of-war", TwoWays, "exchanged") { Implements = new Implementation("the-agreement", 2) },
        new ExchangeUnderway(Reported, "civilians", TwoWays, "under way") { Implements = new Implementation("the-agreement") },
        new PositionStated(Reported, "north", "ceasefire", "insists on a full ceasefire"),
        new MeetingHeld(Reported, "3", "Istanbul", "the foreign minister", "two hours", ["north", "south", "a mediator"], "the third round"),
        new DelegationChanged(Reported, "south", "a new head", ["an adviser"], ["a deputy", "an officer"], 12, 0, "the delegation changed"),
        new DocumentHandedOver(Reported, "a memorandum", "north", "south", "handed over\nin two parts"),
        new AssessmentMade(Reported, "mediator", Outlook.FarApart, "the sides remain far apart"),
        new DeadlineSet(Reported, "north", new FuzzyDate(new DateOnly(2025, 7, 1), DatePrecision.Before), "an answer", "talks end"),
        new TotalReported(Reported, "the-agreement", "prisoners-of-war", TwoWays, true, "in total"),
        new CallHeld(Reported, ["north", "south"], "a call"),
        new SummitHeld(Reported, "Ankara", ["north", "a third country"], "a summit"),
        new StatementMade(Reported, "south", "we will not attend"),
        new MeetingPlanned(Reported, "Geneva", June, "an envoy", ["north", "south"], "4", "a fourth round"),
        new AppealMade(Reported, "mediator", ["north", "south"], "calls for restraint"),
        new AllegationMade(Reported, "south", "north", "alleges a violation"),
        new ContradictionNoted(Reported, ["meeting-planned", "no-meeting"], "contradict each other"),
        new ReportCorrected(Reported, EarlierId, "the figure was 1,100"),
        new ReportRetracted(Reported, EarlierId, "withdrawn by the outlet"),
    ];

    public static TheoryData<string> KindNames => new(DevelopmentKinds.Names);

    [Fact]
    public void Every_kind_has_a_writer_and_a_representative_event()
    {
        foreach (var kind in DevelopmentKinds.All)
        {
            Assert.NotNull(kind.Write);
            Assert.True(Representatives.Any(d => d.GetType() == kind.Type), $"kind '{kind.Name}' has no representative event in {nameof(Representatives)}");
        }
    }

    [Theory]
    [MemberData(nameof(KindNames))]
    public void A_kind_written_by_its_row_reads_back_as_the_same_event(string name)
    {
        var kind = DevelopmentKinds.Named(name)!;
        var development = Representatives.Single(d => d.GetType() == kind.Type);

        var written = DevelopmentKinds.Write(development, ReferenceOf);

        Assert.Equal(kind.Fields.Order(StringComparer.Ordinal), written.Fields.Select(f => f.Name).Order(StringComparer.Ordinal));
        var errors = new List<InputError>();
        var read = kind.Read(new KindReader(new Fields($"{name}.yaml", Tree(written.Fields), errors), Talks), development.Claim);
        Assert.Empty(errors);
        Assert.IsType(kind.Type, read);
        Assert.Empty(ContentDiff.Between(development, read));
    }

    [Fact]
    public void What_a_report_names_decides_how_late_it_is_written()
    {
        int Depth(Development development) => DevelopmentKinds.Write(development, ReferenceOf).ReferenceDepth;

        Assert.Equal(0, Depth(new ExchangeCompleted(Reported, "civilians", TwoWays, "exchanged")));
        Assert.Equal(1, Depth(new ExchangeCompleted(Reported, "civilians", TwoWays, "exchanged") { Implements = new Implementation("the-agreement") }));
        Assert.Equal(1, Depth(Representatives.OfType<ProposalAnswered>().Single()));
        Assert.Equal(2, Depth(Representatives.OfType<ReportCorrected>().Single()));
    }

    [Fact]
    public void Absent_optional_fields_are_left_out_and_read_back_absent()
    {
        var bare = new MeetingHeld(Reported, null, null, null, null, [], "a meeting");
        var kind = DevelopmentKinds.Of(typeof(MeetingHeld));

        var written = DevelopmentKinds.Write(bare, ReferenceOf);

        Assert.Equal(["text"], written.Fields.Select(f => f.Name));
        var errors = new List<InputError>();
        var read = kind.Read(new KindReader(new Fields("bare.yaml", Tree(written.Fields), errors), Talks), bare.Claim);
        Assert.Empty(errors);
        Assert.Empty(ContentDiff.Between(bare, read));
    }

    private static ReportReference ReferenceOf(Guid claimId) =>
        claimId == EarlierId ? Earlier : throw new InvalidOperationException($"no report {claimId} in this test");

    /// <summary>The written fields as the tree a file or a JSON body is read into, one line per field.</summary>
    private static InputMap Tree(IReadOnlyList<KindField> fields) =>
        new([.. fields.Select((f, i) => new InputEntry(f.Name, Value(f.Value, i + 1), i + 1))], 1);

    private static Input Value(FieldValue value, int line) => value switch
    {
        FieldText text => new InputScalar(text.Text, line),
        FieldTexts texts => new InputList([.. texts.Items.Select(t => new InputScalar(t, line))], line),
        FieldMapping mapping => Tree(mapping.Fields),
        FieldMappings mappings => new InputList([.. mappings.Items.Select(m => Tree(m.Fields))], line),
        _ => throw new InvalidOperationException($"no tree for {value.GetType().Name}"),
    };
}
