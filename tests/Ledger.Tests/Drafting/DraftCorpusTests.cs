using System.Globalization;
using Ledger.Domain.Provenance;
using Ledger.Drafting;
using Ledger.Sources;
using Ledger.Tests.Corpus;
using Marten;

namespace Ledger.Tests.Drafting;

/// <summary>
/// Drafts of the repository's own sources, against what the other sources report: how much of the coding a
/// draft proposes, and that every quote it proposes is the source's exact characters.
/// </summary>
public sealed class DraftCorpusTests(IstanbulCorpus corpus) : IClassFixture<IstanbulCorpus>
{
    /// <summary>The measured share of coded reports drafted with the right key and an overlapping quote (119 of 317), less a margin.</summary>
    private const double HitRateFloor = 0.35;

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Drafts_propose_coded_developments_with_their_keys_and_quotes()
    {
        Assert.True(corpus.Import.Succeeded);

        var scores = await DraftMeasure.MeasureAsync(corpus.Store, _ct);

        var coded = scores.Sum(s => s.Coded);
        var rightKey = scores.Sum(s => s.RightKey);
        var table = new System.Text.StringBuilder();
        table.AppendLine("| Source | Coded reports | Quoted by the draft | With the right key | Key reported by another source | Draft items |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var s in scores)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| {s.SourceId} | {s.Coded} | {s.Quoted} | {s.RightKey} | {s.KeyOnRecord} | {s.Items} |");
        }

        table.AppendLine(CultureInfo.InvariantCulture, $"| **all {scores.Count}** | {coded} | {scores.Sum(s => s.Quoted)} | {rightKey} ({rightKey / (double)coded:P0}) | {scores.Sum(s => s.KeyOnRecord)} | {scores.Sum(s => s.Items)} |");
        TestContext.Current.TestOutputHelper?.WriteLine(table.ToString());
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "ledger-draft-measure.md"), table.ToString(), _ct);

        Assert.True(coded > 100, $"the corpus has {coded} coded reports");
        Assert.True(rightKey / (double)coded >= HitRateFloor, $"{rightKey} of {coded} reports drafted with the right key\n{table}");
    }

    [Fact]
    public async Task Every_quote_a_draft_proposes_is_the_sources_exact_text_at_its_offsets()
    {
        await using var session = corpus.Store.QuerySession();
        var sources = await session.Query<Source>().ToListAsync(_ct);
        var checkedQuotes = 0;
        foreach (var source in sources)
        {
            var (draft, _) = await DraftCommand.DraftAsync(corpus.Store, source.SourceId, null, _ct);
            foreach (var item in draft?.Items ?? [])
            {
                Assert.Equal(item.Quote.Exact, source.Text[item.Quote.Start..item.Quote.End]);
                var lookup = QuoteLocator.Locate(source.Text, item.Quote.Exact, item.Quote.Prefix, item.Quote.Suffix);
                Assert.True(lookup.Found, $"{source.SourceId}: {item.Quote.Exact}");
                Assert.Equal(item.Quote.Start, lookup.Anchor!.Start);
                Assert.Contains(Drafter.Quoted(item.Quote.Exact), draft!.Yaml, StringComparison.Ordinal);
                checkedQuotes++;
            }
        }

        Assert.True(checkedQuotes > 100, $"{checkedQuotes} quotes checked");
    }

    [Fact]
    public async Task A_draft_proposes_only_developments_that_began_by_its_publication_and_never_one_twice_for_a_sentence()
    {
        await using var session = corpus.Store.QuerySession();
        var sources = await session.Query<Source>().ToListAsync(_ct);
        var proposed = 0;
        var sentencesWithTwo = 0;
        foreach (var source in sources)
        {
            var (draft, _) = await DraftCommand.DraftAsync(corpus.Store, source.SourceId, null, _ct);
            foreach (var sentence in (draft?.Items ?? []).Where(i => i.Guess is not null).GroupBy(i => i.Quote.Start))
            {
                Assert.All(sentence, i => Assert.True(i.Guess!.Development.Occurred.Earliest <= source.Published, $"{source.SourceId} (published {source.Published}) proposes {i.Guess.Development.Key} ({i.Guess.Development.Occurred})"));
                Assert.Equal(sentence.Count(), sentence.Select(i => i.Guess!.Development.Key).Distinct(StringComparer.Ordinal).Count());
                proposed += sentence.Count();
                sentencesWithTwo += sentence.Count() > 1 ? 1 : 0;
            }
        }

        Assert.True(proposed > 100, $"{proposed} proposals checked");
        Assert.True(sentencesWithTwo > 0, "no sentence was proposed more than one development");
    }
}
