using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Provenance;
using Ledger.Domain.Recording;
using Ledger.Domain.Sources;
using Ledger.Infrastructure;
using Marten;

namespace Ledger.Tests.Contracts;

/// <summary>
/// Stored events outlive the code: each event type has a serialised example under Contracts/examples, and
/// the store's serializer must still write it byte for byte and read it back. A rename or a changed field
/// fails here instead of silently orphaning old data; change the shape through an upcaster, then the example.
/// </summary>
public class EventContractTests
{
    private static readonly Claim Claim = new(
        Guid.Parse("5b0d7c2e-8f1a-5c3d-9e4b-2a6f8d1c3e5a"),
        "ru-ua-istanbul-2025",
        "prisoner-exchanges",
        "pow-exchange-1200",
        new Provenance(
            "izvestia-2025-07-23",
            new QuoteAnchor("Russia has offered to exchange at least 1,200 more prisoners of war from each side.", null, null, 1893, 1976),
            new Attribution("russia", "medinsky", "Medinsky", "head of the Russian delegation"),
            new FuzzyDate(new DateOnly(2025, 7, 23)),
            new DateOnly(2025, 7, 23)),
        "A note.");

    private static readonly Transfer[] Transfers = [new("russia", new Quantity(1200, QuantityQualifier.AtLeast)), new("ukraine", null)];

    public static TheoryData<string> Examples => new(Samples.Keys);

    private static readonly Dictionary<string, object> Samples = new()
    {
        ["negotiation-opened"] = new NegotiationOpened("ru-ua-istanbul-2025", "Talks", "About the talks"),
        ["party-registered"] = new PartyRegistered("ru-ua-istanbul-2025", "turkey", "Türkiye", "mediator"),
        ["actor-registered"] = new ActorRegistered("ru-ua-istanbul-2025", "medinsky", "Vladimir Medinsky", "russia", "Aide", ["Volodymyr Medinsky"]),
        ["track-opened"] = new TrackOpened("ru-ua-istanbul-2025", "ceasefire", "Ceasefire", null),
        ["source-registered"] = new SourceRegistered("izvestia-2025-07-23", "Izvestia", "Oncoming traffic", null, new DateOnly(2025, 7, 23), null, "Not printed", "en", "Machine translation", "sha256:00", "Text."),
        ["category-registered"] = new CategoryRegistered("ru-ua-istanbul-2025", "bodies", "Bodies of the fallen"),
        ["role-held"] = new RoleHeld(
            "ru-ua-istanbul-2025",
            "umerov",
            "head-of-delegation",
            "ukraine",
            "who was leading Ukraine's delegation",
            new FuzzyDate(new DateOnly(2025, 5, 16), DatePrecision.ByEndOf),
            new FuzzyDate(new DateOnly(2025, 5, 16)),
            "kyiv-independent-2025-05-16",
            "Defense Minister Rustem Umerov, who was leading Ukraine's delegation"),
        // A claim whose speaker the source names only by role, resolved by the ledger, beside one with a role conflict.
        ["statement-made-said-by-role"] = new StatementMade(
            Claim with
            {
                Provenance = Claim.Provenance with
                {
                    SaidBy = new Attribution("ukraine", null, null, "the head of the Ukrainian delegation")
                    {
                        Role = "head-of-delegation",
                        ResolvedActor = "umerov",
                        ResolvedFrom = "role head-of-delegation of ukraine on 2025-07-23",
                    },
                },
            },
            "ukraine",
            "Ready to continue"),
        ["statement-made-role-conflict"] = new StatementMade(
            Claim with
            {
                Provenance = Claim.Provenance with
                {
                    SaidBy = new Attribution("ukraine", "umerov", "Umerov", "Defense Minister")
                    {
                        RoleConflict = "the source calls umerov \"Defense Minister\" on 2025-07-23; the registered roles have umerov as defence-minister from by 2025-05-16 to 2025-05-16 per kyiv-independent-2025-05-16, not on 2025-07-23",
                    },
                },
            },
            "ukraine",
            "Ready to continue"),
        ["statement-made-role-unresolved"] = new StatementMade(
            Claim with
            {
                Provenance = Claim.Provenance with
                {
                    SaidBy = new Attribution("ukraine", null, null, null)
                    {
                        Role = "head-of-delegation",
                        Unresolved = "no one is registered as holding role head-of-delegation of ukraine on 2025-04-01",
                    },
                },
            },
            "ukraine",
            "Ready to continue"),
        ["proposal-made"] = new ProposalMade(Claim, "russia", "ukraine", "Exchange at least 1,200")
        {
            Quantities = [new CategoryQuantity("prisoners-of-war", new Quantity(1200, QuantityQualifier.AtLeast))],
            Due = new FuzzyDate(new DateOnly(2025, 8, 31), DatePrecision.ByEndOf),
        },
        ["proposal-answered"] = new ProposalAnswered(Claim, "working-groups-proposal", "ukraine", ProposalResponse.PartlyAccepted, "Kyiv will consider") { Accepted = "the humanitarian group" },
        ["agreement-reached"] = new AgreementReached(Claim, ["russia", "ukraine"], "Exchange 1,200 for 1,200") { Quantities = [new CategoryQuantity("bodies", new Quantity(6000), "ukraine")] },
        ["exchange-completed"] = new ExchangeCompleted(Claim, "bodies", Transfers, "Bodies returned") { Implements = new Implementation("bodies-6000", 4) },
        ["exchange-underway"] = new ExchangeUnderway(Claim, "prisoners-of-war", [new Transfer("ukraine", new Quantity(270), "prisoners-of-war"), new Transfer("ukraine", new Quantity(120), "civilians")], "390 released"),
        ["total-reported"] = new TotalReported(Claim, "bodies-6000", "bodies", [new Transfer("ukraine", new Quantity(6057))], true, "In total 6,057 bodies"),
        ["call-held"] = new CallHeld(Claim, ["Putin", "Trump"], "A phone call"),
        ["summit-held"] = new SummitHeld(Claim, "Anchorage, Alaska", ["Putin", "Trump"], "Summit in Alaska"),
        ["statement-made"] = new StatementMade(Claim, "russia", "Ready to continue"),
        ["meeting-planned"] = new MeetingPlanned(Claim, "Istanbul", new FuzzyDate(new DateOnly(2025, 8, 31), DatePrecision.ByEndOf), "Umerov", ["ukraine", "russia"], "4", "A fourth round"),
        ["appeal-made"] = new AppealMade(Claim, "turkey", ["russia", "ukraine"], "Keep talking"),
        ["allegation-made"] = new AllegationMade(Claim, "russia", "ukraine", "Refused the bodies"),
        ["contradiction-noted"] = new ContradictionNoted(Claim, ["summit-preparations", "no-summit-planned"], "Preparations under way against no meeting planned"),
        ["position-stated"] = new PositionStated(Claim, "ukraine", "ceasefire", "Ready for an immediate ceasefire"),
        ["meeting-held"] = new MeetingHeld(Claim, "3", "Çırağan Palace, Istanbul", "Hakan Fidan", "under an hour", ["russia", "ukraine"], "Third round"),
        ["delegation-changed"] = new DelegationChanged(Claim, "ukraine", "Rustem Umerov", ["Yuri Kolbasa"], ["Alexei Malovetsky"], 12, 14, "Expanded"),
        ["document-handed-over"] = new DocumentHandedOver(Claim, "List of Russian children", "russia", "ukraine", "Handed over"),
        ["assessment-made"] = new AssessmentMade(Claim, "russia", Outlook.FarApart, "Positions far apart"),
        ["deadline-set"] = new DeadlineSet(Claim, "united-states", new FuzzyDate(new DateOnly(2025, 9, 2), DatePrecision.ByEndOf), "A settlement", "Duties of about 100%"),
        ["report-corrected"] = new ReportCorrected(Claim, Guid.Parse("0f8e2d4c-6b1a-5e3f-8c7d-9a2b4e6f8d0c"), "The figure is 150"),
        ["report-retracted"] = new ReportRetracted(Claim, Guid.Parse("0f8e2d4c-6b1a-5e3f-8c7d-9a2b4e6f8d0c"), "Could not confirm"),
        ["report-revised"] = new ReportRevised(
            Claim.ClaimId,
            new ExchangeCompleted(Claim, "bodies", Transfers, "Bodies returned"),
            new ExchangeCompleted(Claim, "bodies", [new Transfer("russia", new Quantity(1250))], "Bodies returned"),
            [new FieldChange("transfers", "[1200]", "[1250]")],
            Guid.Parse("0f8e2d4c-6b1a-5e3f-8c7d-9a2b4e6f8d0c"),
            "import:analyst",
            new DateTimeOffset(2025, 8, 1, 9, 0, 0, TimeSpan.Zero),
            "the article says 1,250"),
        ["report-withdrawn"] = new ReportWithdrawn(
            Claim.ClaimId,
            new ExchangeCompleted(Claim, "bodies", Transfers, "Bodies returned"),
            Guid.Parse("0f8e2d4c-6b1a-5e3f-8c7d-9a2b4e6f8d0c"),
            "import:analyst",
            new DateTimeOffset(2025, 8, 1, 9, 0, 0, TimeSpan.Zero),
            "coded from the wrong article"),
    };

    private static readonly Marten.ISerializer Serializer = new StoreOptions().ConfigureLedger("Host=unused").Serializer();

    private static string ExamplePath(string name) => Path.Combine(AppContext.BaseDirectory, "Contracts", "examples", name + ".json");

    [Theory]
    [MemberData(nameof(Examples))]
    public void Each_event_type_is_stored_exactly_as_its_example(string name)
    {
        var json = Normalise(Serializer.ToJson(Samples[name]));
        if (!File.Exists(ExamplePath(name)) && Environment.GetEnvironmentVariable("LEDGER_WRITE_MISSING_CONTRACTS") is { } folder)
        {
            // A new event type: write its first example into the given folder (tests/Ledger.Tests/Contracts/examples).
            File.WriteAllText(Path.Combine(folder, name + ".json"), json + "\n");
            return;
        }

        Assert.True(File.Exists(ExamplePath(name)), $"No example for {name}: run the tests with LEDGER_WRITE_MISSING_CONTRACTS=<path of tests/Ledger.Tests/Contracts/examples> once, and review it");
        Assert.Equal(Normalise(File.ReadAllText(ExamplePath(name))), json);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Each_stored_example_reads_back_as_the_same_event(string name)
    {
        var sample = Samples[name];
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(ExamplePath(name))));

        var read = Serializer.FromJson(sample.GetType(), stream);

        Assert.Equal(Normalise(Serializer.ToJson(sample)), Normalise(Serializer.ToJson(read)));
    }

    [Fact]
    public void Every_event_type_the_store_knows_has_an_example()
    {
        var kinds = typeof(Development).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && (t.IsSubclassOf(typeof(Development)) || t.Name.EndsWith("Registered", StringComparison.Ordinal) || t.Name.EndsWith("Opened", StringComparison.Ordinal)
                || t == typeof(ReportRevised) || t == typeof(ReportWithdrawn) || t == typeof(RoleHeld)))
            .ToList();

        Assert.All(kinds, t => Assert.Contains(Samples.Values, s => s.GetType() == t));
    }

    private static string Normalise(string json) => JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
