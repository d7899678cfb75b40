using System.Globalization;
using System.Text.RegularExpressions;
using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Provenance;
using Ledger.Tests.Infrastructure;
using Ledger.Tracks;
using Marten;

namespace Ledger.Tests.Corpus;

/// <summary>
/// A claim's content is what its own quote supports (events/ru-ua-istanbul-2025/CODING.md, "What a report may say").
/// Where the text allows a mechanical check, every claim of both corpora is held to it: each number it counts appears
/// in its quote's sentence, and the person it is credited to is named in that sentence or the one before, unless the
/// field is marked <c>inferred</c> (the coder's reading, with the reasoning).
/// </summary>
public static partial class QuoteSupport
{
    /// <summary>Every claim of a negotiation whose numbers or speaker its own sentence does not bear out, one line each.</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(IDocumentStore store, string negotiationId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var negotiation = await TrackQueries.NegotiationAsync(session, negotiationId, ct);
        var texts = Directory.EnumerateFiles(Path.Combine(Repository.Root, "seeds"), "*.txt")
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f)!, File.ReadAllText);
        var developments = (await session.Events.QueryAllRawEvents().ToListAsync(ct))
            .Select(e => e.Data).OfType<Development>()
            .Where(d => d.Claim.NegotiationId == negotiationId)
            .ToList();
        Assert.NotEmpty(developments);

        var problems = new List<string>();
        foreach (var development in developments)
        {
            var claim = development.Claim;
            var text = texts[claim.Provenance.SourceId];
            var quote = claim.Provenance.Quote;
            var (sentence, _) = QuoteLocator.SentenceAround(text, quote.Start, quote.End);
            var where = $"{claim.DevelopmentKey} / {claim.Provenance.SourceId} \"{Shorten(quote.Exact)}\"";

            foreach (var (field, number) in NumbersOf(development).Where(n => !claim.Inferred.ContainsKey(n.Field)))
            {
                if (!NumbersIn(sentence).Contains(number) && !NumbersIn(quote.Exact).Contains(number))
                {
                    problems.Add($"{where}: {field} {number:N0} is not in the quote's sentence");
                }
            }

            if (claim.Provenance.SaidBy is { Actor: { } actorId } && !claim.Inferred.ContainsKey("said-by")
                && negotiation.Actors.SingleOrDefault(a => a.Id == actorId) is { } actor)
            {
                var context = PreviousSentence(text, quote.Start) + " " + sentence;
                if (!new[] { actor.Name }.Concat(actor.Aliases).Any(name => context.Contains(name, StringComparison.OrdinalIgnoreCase)))
                {
                    problems.Add($"{where}: said-by {actor.Name} is named neither in the quote's sentence nor in the one before");
                }
            }
        }

        return problems;
    }

    /// <summary>The numbers a claim counts: its quantities and transfers, by field name.</summary>
    private static IEnumerable<(string Field, int Number)> NumbersOf(Development development)
    {
        foreach (var property in development.GetType().GetProperties())
        {
            switch (property.GetValue(development))
            {
                case IEnumerable<CategoryQuantity> quantities:
                    foreach (var q in quantities.Where(q => q.Count.HasNumber))
                    {
                        yield return ("quantities", q.Count.Value);
                    }

                    break;
                case IEnumerable<Transfer> transfers:
                    foreach (var t in transfers.Where(t => t.Count is { HasNumber: true }))
                    {
                        yield return ("transfers", t.Count!.Value);
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// The numbers a text writes: digits with or without thousands separators ("1,200", "1200", "1 200"), and a number
    /// followed by "thousand" ("7 thousand", "1.2 thousand") times a thousand, and the numbers up to twenty written as
    /// words ("four of the 28").
    /// </summary>
    public static HashSet<int> NumbersIn(string text)
    {
        var joined = ThousandsSeparator().Replace(text, "");
        var numbers = new HashSet<int>();
        foreach (Match m in Digits().Matches(joined))
        {
            if (int.TryParse(m.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                numbers.Add(n);
            }
        }

        foreach (Match m in Thousands().Matches(joined))
        {
            if (decimal.TryParse(m.Groups[1].Value.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            {
                numbers.Add((int)(n * 1000));
            }
        }

        foreach (Match m in Words().Matches(text))
        {
            numbers.Add(Array.IndexOf(NumberWords, m.Value.ToLowerInvariant()));
        }

        return numbers;
    }

    private static readonly string[] NumberWords =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
        "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    ];

    private static string PreviousSentence(string text, int quoteStart)
    {
        // The sentence starts where the quote's offset in it says; the one before ends just ahead of it.
        var (_, startInSentence) = QuoteLocator.SentenceAround(text, quoteStart, quoteStart + 1);
        var before = quoteStart - startInSentence - 1;
        while (before > 0 && char.IsWhiteSpace(text[before]))
        {
            before--;
        }

        return before <= 0 ? "" : QuoteLocator.SentenceAround(text, before, before + 1).Sentence;
    }

    private static string Shorten(string quote) => quote.Length <= 60 ? quote : quote[..57] + "...";

    [GeneratedRegex(@"(?<=\d)[,\u00a0\u202f ](?=\d{3}(?!\d))")]
    private static partial Regex ThousandsSeparator();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    [GeneratedRegex(@"(\d+(?:[.,]\d+)?)\s*(?:thousand|k\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Thousands();

    [GeneratedRegex(@"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Words();
}

public class IstanbulQuoteSupportTests(IstanbulCorpus corpus) : IClassFixture<IstanbulCorpus>
{
    [Fact]
    public async Task Every_claim_counts_only_numbers_and_credits_only_people_its_own_sentence_names()
    {
        var problems = await QuoteSupport.ProblemsAsync(corpus.Store, IstanbulCorpus.Negotiation, TestContext.Current.CancellationToken);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}

public class GazaQuoteSupportTests(GazaCorpus corpus) : IClassFixture<GazaCorpus>
{
    [Fact]
    public async Task Every_claim_counts_only_numbers_and_credits_only_people_its_own_sentence_names()
    {
        var problems = await QuoteSupport.ProblemsAsync(corpus.Store, GazaCorpus.Negotiation, TestContext.Current.CancellationToken);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}

public class QuoteSupportNumberTests
{
    [Theory]
    [InlineData("an exchange of 1,200-1,200 prisoners", 1200)]
    [InlineData("the 1000 for 1000 exchange", 1000)]
    [InlineData("about 1 200 people", 1200)]
    [InlineData("more than 7 thousand bodies", 7000)]
    [InlineData("only four of the 28 deceased hostages", 4)]
    public void A_number_is_read_however_the_source_writes_it(string text, int number) =>
        Assert.Contains(number, QuoteSupport.NumbersIn(text));

    [Fact]
    public void A_number_is_not_read_inside_another() =>
        Assert.DoesNotContain(1000, QuoteSupport.NumbersIn("11,000 soldiers and 21000 more"));
}
