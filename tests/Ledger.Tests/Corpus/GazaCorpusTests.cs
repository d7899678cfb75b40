using Ledger.Audit;
using Ledger.Domain.Tracks;
using Ledger.Sources;
using Ledger.Tests.Infrastructure;
using Ledger.Tracks;

namespace Ledger.Tests.Corpus;

/// <summary>
/// Pins what the ledger says about the second negotiation in the repository, the Gaza ceasefire and hostage–prisoner
/// exchange of October 2025 (see events/gaza-ceasefire-2025/CODING.md): the model's kinds, categories, commitments
/// and disputes answer for talks other than the ones they were first written for.
/// </summary>
public class GazaCorpusTests(GazaCorpus corpus) : IClassFixture<GazaCorpus>
{
    private static readonly DateOnly[] Dates = [new(2025, 10, 7), new(2025, 10, 9), new(2025, 10, 13)];

    private static readonly string[] Sources =
    [
        "hindustan-times-2025-10-09", "interbellum-news-2025-10-13", "mercopress-2025-10-13", "sana-2025-10-09", "the-business-daily-2025-10-14",
    ];

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private async Task<Dictionary<string, TrackStatus>> StatusAsync(DateOnly? asOf, DateOnly? knownOn = null)
    {
        await using var session = corpus.Store.QuerySession();
        var status = await TrackQueries.StatusAsync(session, GazaCorpus.Negotiation, null, new TimeAxes(asOf, knownOn), null, _ct);
        return status.Tracks.ToDictionary(t => t.Track.Id, t => t.Status);
    }

    [Fact]
    public void Its_files_import_without_an_error()
    {
        var files = corpus.Import.Files.Where(f => f.File.Contains(GazaCorpus.Negotiation, StringComparison.Ordinal)).ToList();

        Assert.Equal(4, files.Count);
        Assert.All(files, f => Assert.Empty(f.Errors));
        Assert.True(corpus.Import.Succeeded, string.Join("\n", corpus.Import.Files.SelectMany(f => f.Errors)));
    }

    // Phases on 7 October (before the agreement), 9 October (the day after it) and 13 October 2025 (the release and
    // the summit), everything published taken into account.
    [Theory]
    [InlineData("ceasefire", "Agreed", "Agreed", "Agreed")]
    [InlineData("hostage-prisoner-exchange", "NoContact", "Agreed", "Completed")]
    [InlineData("deceased-hostages", "NoContact", "Agreed", "Agreed")]
    [InlineData("humanitarian", "NoContact", "Agreed", "Agreed")]
    [InlineData("withdrawal", "NoContact", "Agreed", "Agreed")]
    [InlineData("summit", "NoContact", "NoContact", "Agreed")]
    [InlineData("next-phase", "NoContact", "Discussed", "Discussed")]
    public async Task Each_track_moves_through_its_phases_on_the_days_developments_occurred(string track, params string[] phases)
    {
        var actual = new List<string>();
        foreach (var date in Dates)
        {
            actual.Add((await StatusAsync(date))[track].Phase.Value.ToString());
        }

        Assert.Equal(phases, actual);
    }

    [Fact]
    public async Task Every_track_is_covered_by_the_phase_table()
    {
        Assert.Equal(7, (await StatusAsync(null)).Count);
    }

    [Fact]
    public async Task The_plan_stands_accepted_in_principle_before_the_talks_in_Egypt()
    {
        var ceasefire = (await StatusAsync(new DateOnly(2025, 10, 7)))["ceasefire"];

        var plan = Assert.Single(ceasefire.Proposals);
        Assert.Equal("us-twenty-point-plan", plan.DevelopmentKey);
        Assert.Equal(ProposalState.Accepted, plan.State);
        Assert.Equal(["hamas", "israel"], plan.Responses.Select(r => r.Party).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, string, string[]> Disputes => new()
    {
        { "ceasefire", "trump-announces-first-phase.occurred", ["hindustan-times-2025-10-09", "sana-2025-10-09"] },
        { "hostage-prisoner-exchange", "exchange-terms.quantity-prisoners-and-detainees-to-hamas", ["sana-2025-10-09", "the-business-daily-2025-10-14"] },
        // Not disputes: "about 1,700" against 1,700 detainees, "all" against 20 living hostages, and Interbellum's 1,968 against
        // its own "nearly 2,000" are each compatible (one only less precise than the other).
    };

    [Theory]
    [MemberData(nameof(Disputes))]
    public async Task Sources_that_disagree_stand_side_by_side_as_a_disputed_point(string track, string point, string[] sources)
    {
        var status = await StatusAsync(new DateOnly(2025, 10, 14));

        var dispute = Assert.Single(status[track].Disputes, d => $"{d.DevelopmentKey}.{d.Fact}" == point);
        Assert.True(dispute.Versions.Count > 1);
        Assert.All(dispute.Versions, v => Assert.NotEmpty(v.Evidence));
        Assert.Equal(sources, dispute.Versions.SelectMany(v => v.Evidence).Select(e => e.SourceId).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task There_are_no_other_disputes_than_those_pinned()
    {
        var status = await StatusAsync(new DateOnly(2025, 10, 14));

        var points = status.SelectMany(t => t.Value.Disputes.Select(d => $"{d.DevelopmentKey}.{d.Fact}")).Order(StringComparer.Ordinal);

        Assert.Equal(Disputes.Select(row => (string)row.Data.Item2).Order(StringComparer.Ordinal), points);
    }

    [Fact]
    public async Task The_day_Trump_announced_the_agreement_is_disputed_between_Wednesday_and_early_Thursday()
    {
        var status = await StatusAsync(new DateOnly(2025, 10, 14));

        var dispute = Assert.Single(status["ceasefire"].Disputes, d => d.DevelopmentKey == "trump-announces-first-phase");
        var versions = dispute.Versions.ToDictionary(v => v.Value, v => v.Evidence.Select(e => e.SourceId).Distinct().Single());
        Assert.Equal("hindustan-times-2025-10-09", versions["2025-10-08"]);
        Assert.Equal("sana-2025-10-09", versions["2025-10-09"]);
    }

    [Fact]
    public async Task How_many_prisoners_the_first_phase_frees_is_disputed_more_than_2000_against_about_1900()
    {
        var status = await StatusAsync(new DateOnly(2025, 10, 14));

        var dispute = Assert.Single(status["hostage-prisoner-exchange"].Disputes, d => d.DevelopmentKey == "exchange-terms" && d.Fact == "quantity-prisoners-and-detainees-to-hamas");
        var sana = Assert.Single(dispute.Versions, v => v.Evidence.Any(e => e.SourceId == "sana-2025-10-09"));
        var businessDaily = Assert.Single(dispute.Versions, v => v.Evidence.Any(e => e.SourceId == "the-business-daily-2025-10-14"));
        Assert.Equal("more than 2,000", sana.Value);
        Assert.Equal("about 1,900", businessDaily.Value);
    }

    [Fact]
    public async Task The_release_carries_out_the_agreed_terms_and_the_bodies_stand_at_a_running_total()
    {
        var status = await StatusAsync(new DateOnly(2025, 10, 14));

        var terms = Assert.Single(status["hostage-prisoner-exchange"].Commitments, c => c.AgreementKey == "exchange-terms");
        var stage = Assert.Single(terms.Stages);
        Assert.Equal("first-phase-release", stage.DevelopmentKey);
        Assert.Equal(1, stage.Stage);
        var hostages = Assert.Single(terms.Fulfilment, f => f.Category == "living-hostages" && f.ToParty == "israel");
        Assert.Equal(20, hostages.CarriedOut!.Min);
        Assert.Equal(20, hostages.CarriedOut!.Max);

        var bodies = Assert.Single(status["deceased-hostages"].Commitments, c => c.AgreementKey == "bodies-handover-agreed");
        var total = Assert.Single(bodies.ReportedTotals);
        Assert.Equal("bodies-returned-four-of-28", total.DevelopmentKey);
        Assert.Equal(["interbellum-news-2025-10-13", "mercopress-2025-10-13"], total.Evidence.Select(e => e.SourceId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_disputed_prisoner_count_is_audited_down_to_the_exact_quotes()
    {
        await using var session = corpus.Store.QuerySession();
        var texts = Sources.ToDictionary(s => s, s => File.ReadAllText(Path.Combine(Repository.Root, "seeds", s + ".txt")));

        var audit = await AuditQueries.TrackAsync(session, GazaCorpus.Negotiation, "hostage-prisoner-exchange", "disputes.exchange-terms.quantity-prisoners-and-detainees-to-hamas", TimeAxes.Now, _ct);

        var field = Assert.Single(audit.Fields);
        Assert.Contains(field.Claims, c => c.SourceId == "sana-2025-10-09"
            && c.Quote.Exact == "the group will release 20 hostages in exchange for more than 2,000 Palestinian prisoners to be released by Israel, including 250 serving life sentences and about 1,700 others, detained since the war began two years ago.");
        Assert.Contains(field.Claims, c => c.SourceId == "the-business-daily-2025-10-14"
            && c.Quote.Exact == "The ceasefire package includes the release by Israel of roughly 1,900 Palestinian detainees");
        Assert.All(field.Claims, c => Assert.Equal(c.Quote.Exact, texts[c.SourceId][c.Quote.Start..c.Quote.End]));
    }

    [Fact]
    public async Task Every_field_of_every_track_leads_to_quotes_found_verbatim_in_the_articles()
    {
        await using var session = corpus.Store.QuerySession();
        var tracks = (await StatusAsync(null)).Where(t => t.Value.ClaimCount > 0).Select(t => t.Key);

        var fields = await CorpusAudit.EveryFieldLeadsToVerbatimQuotesAsync(session, GazaCorpus.Negotiation, tracks, _ct);

        Assert.True(fields > 40, $"only {fields} fields audited");
    }

    [Fact]
    public async Task Before_any_article_was_published_nothing_is_known()
    {
        var status = await StatusAsync(new DateOnly(2025, 10, 14), knownOn: new DateOnly(2025, 10, 8));

        Assert.All(status.Values, s => Assert.Equal(Phase.NoContact, s.Phase.Value));
    }

    [Fact]
    public async Task The_spellings_of_one_person_resolve_to_one_actor()
    {
        await using var session = corpus.Store.QuerySession();
        var negotiation = await TrackQueries.NegotiationAsync(session, GazaCorpus.Negotiation, _ct);

        Assert.Equal("sisi", negotiation.FindActor("Abdel Fatah El-Sisi")!.Id);
        Assert.Equal("sisi", negotiation.FindActor("Abdel Fattah el-Sisi")!.Id);
        Assert.Equal("trump", negotiation.FindActor("President Donald Trump")!.Id);
    }

    [Fact]
    public async Task The_sources_keep_their_outlets_addresses_and_printed_dates()
    {
        await using var session = corpus.Store.QuerySession();
        var sources = (await SourceQueries.AllAsync(session, _ct)).ToDictionary(s => s.Id);

        Assert.Equal("SANA", sources["sana-2025-10-09"].Outlet);
        Assert.Null(sources["sana-2025-10-09"].PublishedAsPrinted);
        Assert.Equal("00:16, 14 October 2025", sources["the-business-daily-2025-10-14"].PublishedAsPrinted);
        Assert.All(Sources, id => Assert.StartsWith("http", sources[id].Url, StringComparison.Ordinal));
    }
}
