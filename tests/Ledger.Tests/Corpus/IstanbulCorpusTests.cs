using Ledger.Audit;
using Ledger.Domain.Tracks;
using Ledger.Sources;
using Ledger.Tracks;

namespace Ledger.Tests.Corpus;

/// <summary>
/// Pins what the ledger says about the Istanbul talks (see events/ru-ua-istanbul-2025/CODING.md), so that no
/// change to the code or the coding alters an answer silently.
/// </summary>
public class IstanbulCorpusTests(IstanbulCorpus corpus) : IClassFixture<IstanbulCorpus>
{
    private static readonly DateOnly[] Dates =
    [
        new(2025, 5, 16), new(2025, 6, 2), new(2025, 7, 22), new(2025, 7, 23), new(2025, 7, 24),
    ];

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private async Task<Dictionary<string, TrackStatus>> StatusAsync(DateOnly? asOf, DateOnly? knownOn = null)
    {
        await using var session = corpus.Store.QuerySession();
        var status = await TrackQueries.StatusAsync(session, IstanbulCorpus.Negotiation, null, new TimeAxes(asOf, knownOn), null, _ct);
        return status.Tracks.ToDictionary(t => t.Track.Id, t => t.Status);
    }

    [Fact]
    public void The_whole_corpus_imports_without_an_error()
    {
        Assert.True(corpus.Import.Succeeded, string.Join("\n", corpus.Import.Files.SelectMany(f => f.Errors)));
        // The seeds folder holds the sources of every negotiation in the repository, this one's five among them.
        Assert.Equal(
            Directory.EnumerateFiles(Path.Combine(IstanbulCorpus.RepositoryRoot, "seeds"), "*.txt").Count(),
            corpus.Import.Files.Count(f => f.File.StartsWith("seeds", StringComparison.Ordinal)));
        Assert.Equal(5, corpus.Import.Files.Count(f => f.File.StartsWith("seeds", StringComparison.Ordinal)
            && (f.File.EndsWith("-2025-07-23.txt", StringComparison.Ordinal) || f.File.EndsWith("-2025-07-24.txt", StringComparison.Ordinal))));
    }

    // Phases on 16 May, 2 June, 22 July, 23 July and 24 July 2025, everything published taken into account.
    [Theory]
    [InlineData("rounds", "Discussed", "Discussed", "Stalled", "Agreed", "Stalled")]
    [InlineData("delegations", "NoContact", "Discussed", "Discussed", "Discussed", "Discussed")]
    [InlineData("humanitarian", "NoContact", "NoContact", "NoContact", "Discussed", "Discussed")]
    [InlineData("prisoner-exchanges", "Agreed", "Agreed", "Agreed", "Completed", "Completed")]
    [InlineData("bodies", "NoContact", "Agreed", "Agreed", "Completed", "Completed")]
    [InlineData("civilians", "NoContact", "NoContact", "NoContact", "Proposed", "Proposed")]
    [InlineData("children", "NoContact", "Discussed", "Discussed", "Proposed", "Proposed")]
    [InlineData("ceasefire", "NoContact", "NoContact", "Discussed", "Discussed", "Stalled")]
    [InlineData("humanitarian-pauses", "NoContact", "NoContact", "NoContact", "Proposed", "Proposed")]
    [InlineData("leaders-summit", "NoContact", "NoContact", "Discussed", "Proposed", "Proposed")]
    [InlineData("memoranda", "Rejected", "Rejected", "Rejected", "Stalled", "Stalled")]
    [InlineData("working-groups", "NoContact", "NoContact", "NoContact", "UnderConsideration", "UnderConsideration")]
    [InlineData("us-ultimatum", "NoContact", "NoContact", "Discussed", "Discussed", "Discussed")]
    [InlineData("mediation", "NoContact", "NoContact", "Discussed", "Discussed", "Discussed")]
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
        var tracks = (await StatusAsync(null)).Keys;

        Assert.Equal(14, tracks.Count);
    }

    [Fact]
    public async Task The_proposals_of_23_July_stand_with_their_answers()
    {
        var status = await StatusAsync(new DateOnly(2025, 7, 24));

        Assert.Equal(ProposalState.UnderConsideration, status["working-groups"].Proposals.Single(p => p.DevelopmentKey == "working-groups-proposal").State);
        Assert.Equal(ProposalState.Countered, status["leaders-summit"].Proposals.Single(p => p.DevelopmentKey == "leaders-summit-proposal-2025-07-23").State);
        Assert.Equal(ProposalState.Open, status["prisoner-exchanges"].Proposals.Single(p => p.DevelopmentKey == "pow-exchange-1200").State);
        Assert.Equal(ProposalState.Open, status["humanitarian-pauses"].Proposals.Single(p => p.DevelopmentKey == "short-truces-proposal").State);
        Assert.Contains(status["bodies"].Proposals, p => p.DevelopmentKey == "bodies-3000-offer" && p.IsOpen);
        Assert.Empty((await StatusAsync(new DateOnly(2025, 7, 22)))["working-groups"].Proposals);
    }

    public static TheoryData<string, string, string[]> Disputes => new()
    {
        { "prisoner-exchanges", "pow-exchange-1200.kind", ["agreement-reached", "proposal-made"] },
        { "prisoner-exchanges", "second-large-exchange-completed.category", ["bodies", "prisoners-of-war"] },
        { "bodies", "bodies-returned-7000.count-to-ukraine", ["7,000", "more than 7,000"] },
        { "ceasefire", "ua-ready-for-ceasefire-2025-07-23.said-by", ["umerov", "yermak"] },
        { "leaders-summit", "leaders-summit-proposal-2025-07-23.said-by", ["umerov", "yermak"] },
        { "prisoner-exchanges", "ua-expects-pow-progress.said-by", ["umerov", "yermak"] },
        { "children", "ua-children-return-priority-zelensky.occurred", ["2025-07-22", "by 2025-07-21"] },
        { "leaders-summit", "ua-leaders-meeting-zelensky.occurred", ["2025-07-22", "by 2025-07-21"] },
    };

    [Theory]
    [MemberData(nameof(Disputes))]
    public async Task Sources_that_disagree_stand_side_by_side_as_a_disputed_point(string track, string point, string[] versions)
    {
        var status = await StatusAsync(new DateOnly(2025, 7, 24));

        var dispute = Assert.Single(status[track].Disputes, d => $"{d.DevelopmentKey}.{d.Fact}" == point);
        Assert.Equal(versions, dispute.Versions.Select(v => v.Value).Order(StringComparer.Ordinal));
        Assert.All(dispute.Versions, v => Assert.NotEmpty(v.Evidence));
    }

    [Fact]
    public async Task There_are_no_other_disputes_than_those_pinned()
    {
        var status = await StatusAsync(new DateOnly(2025, 7, 24));

        var points = status.SelectMany(t => t.Value.Disputes.Select(d => $"{d.DevelopmentKey}.{d.Fact}")).Order(StringComparer.Ordinal);

        Assert.Equal(Disputes.Select(row => (string)row.Data.Item2).Order(StringComparer.Ordinal), points);
    }

    [Fact]
    public async Task The_dispute_over_who_said_Ukraine_is_ready_for_a_ceasefire_appears_once_the_article_of_24_July_is_published()
    {
        var knownOn23 = await StatusAsync(new DateOnly(2025, 7, 24), knownOn: new DateOnly(2025, 7, 23));
        var knownOn24 = await StatusAsync(new DateOnly(2025, 7, 24), knownOn: new DateOnly(2025, 7, 24));

        Assert.DoesNotContain(knownOn23["ceasefire"].Disputes, d => d.DevelopmentKey == "ua-ready-for-ceasefire-2025-07-23");
        Assert.Contains(knownOn24["ceasefire"].Disputes, d => d.DevelopmentKey == "ua-ready-for-ceasefire-2025-07-23" && d.Fact == "said-by");
        Assert.Equal(Phase.Agreed, knownOn23["rounds"].Phase.Value);
        Assert.Equal(Phase.Stalled, knownOn24["rounds"].Phase.Value);
        Assert.Equal(Phase.Discussed, knownOn23["ceasefire"].Phase.Value);
        Assert.Equal(Phase.Stalled, knownOn24["ceasefire"].Phase.Value);
    }

    [Fact]
    public async Task Before_any_article_was_published_nothing_is_known()
    {
        var status = await StatusAsync(new DateOnly(2025, 7, 24), knownOn: new DateOnly(2025, 7, 22));

        Assert.All(status.Values, s => Assert.Equal(Phase.NoContact, s.Phase.Value));
    }

    [Fact]
    public async Task Positions_restated_before_and_after_the_round_are_recognised()
    {
        var status = await StatusAsync(new DateOnly(2025, 7, 24));

        var ukraineOnCeasefire = status["ceasefire"].Positions.Single(p => p.Party == "ukraine" && p.Topic == "ceasefire");
        Assert.Equal("ua-ready-for-ceasefire-2025-07-23", ukraineOnCeasefire.DevelopmentKey);
        Assert.True(ukraineOnCeasefire.Restated);
        Assert.Contains("ua-sybiha-insists-on-truce", ukraineOnCeasefire.EarlierDevelopments);
    }

    [Fact]
    public async Task The_spellings_of_one_person_resolve_to_one_actor()
    {
        await using var session = corpus.Store.QuerySession();
        var negotiation = await TrackQueries.NegotiationAsync(session, IstanbulCorpus.Negotiation, _ct);

        Assert.Equal("medinsky", negotiation.FindActor("Volodymyr Medinsky")!.Id);
        Assert.Equal("medinsky", negotiation.FindActor("Vladimir Medinsky")!.Id);
        Assert.Equal("zelensky", negotiation.FindActor("Volodymyr Zelenskyy")!.Id);
        Assert.NotEqual(negotiation.FindActor("Alexander Fomin")!.Id, negotiation.FindActor("Andrei Fomin")!.Id);
    }

    [Fact]
    public async Task Every_field_of_every_track_leads_to_quotes_found_verbatim_in_the_articles()
    {
        await using var session = corpus.Store.QuerySession();
        var texts = Directory.EnumerateFiles(Path.Combine(IstanbulCorpus.RepositoryRoot, "seeds"), "*.txt")
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f)!, File.ReadAllText);
        var fields = 0;
        foreach (var track in (await StatusAsync(null)).Where(t => t.Value.ClaimCount > 0).Select(t => t.Key))
        {
            var audit = await AuditQueries.TrackAsync(session, IstanbulCorpus.Negotiation, track, null, TimeAxes.Now, _ct);
            foreach (var field in audit.Fields.Where(f => f.Path != "phase" || f.Claims.Count > 0))
            {
                fields++;
                Assert.NotEmpty(field.Claims);
                Assert.All(field.Claims, c => Assert.Equal(c.Quote.Exact, texts[c.SourceId][c.Quote.Start..c.Quote.End]));
            }
        }

        Assert.True(fields > 100, $"only {fields} fields audited");
    }

    [Fact]
    public async Task The_corpus_passes_verify()
    {
        await using var session = corpus.Store.QuerySession();

        var report = await Verification.RunAsync(session, Path.Combine(IstanbulCorpus.RepositoryRoot, "seeds"), _ct);

        Assert.True(report.Passed, string.Join("\n", report.Problems));
        // verify checks every quote in the store: 149 of these talks, 64 of the Gaza ceasefire (gaza-ceasefire-2025).
        Assert.Equal(149 + 64, report.QuotesChecked);
    }

    [Fact]
    public async Task The_sources_keep_their_outlets_and_printed_dates_and_the_translation_is_marked()
    {
        await using var session = corpus.Store.QuerySession();
        var sources = (await SourceQueries.AllAsync(session, _ct)).ToDictionary(s => s.Id);

        Assert.Equal("unknown", sources["unknown-2025-07-23"].Outlet);
        Assert.Equal("unknown", sources["unknown-2025-07-24"].Outlet);
        Assert.Equal("Izvestia", sources["izvestia-2025-07-23"].Outlet);
        Assert.Null(sources["izvestia-2025-07-23"].PublishedAsPrinted);
        Assert.Contains("Yandex", sources["izvestia-2025-07-23"].TranslationNote, StringComparison.Ordinal);
        Assert.Equal("July 23, 2025", sources["trt-world-2025-07-23"].PublishedAsPrinted);
        Assert.All(sources.Values.Where(s => s.Id != "izvestia-2025-07-23"), s => Assert.Null(s.TranslationNote));
    }

    [Fact]
    public async Task The_report_in_the_README_is_what_the_ledger_says_now()
    {
        var columns = new List<NegotiationStatus>();
        await using (var session = corpus.Store.QuerySession())
        {
            foreach (var date in new DateOnly[] { new(2025, 7, 22), new(2025, 7, 24) })
            {
                columns.Add(await TrackQueries.StatusAsync(session, IstanbulCorpus.Negotiation, null, new TimeAxes(AsOf: date), null, _ct));
            }
        }

        var readme = await File.ReadAllTextAsync(Path.Combine(IstanbulCorpus.RepositoryRoot, "README.md"), _ct);
        const string start = "<!-- ledger report: start -->\n";
        var from = readme.IndexOf(start, StringComparison.Ordinal) + start.Length;
        var section = readme[from..readme.IndexOf("<!-- ledger report: end -->", StringComparison.Ordinal)];

        // Regenerate with: dotnet run --project src/Ledger -- report --update-readme README.md
        Assert.Equal(MarkdownReport.Render(columns), section);
    }
}
