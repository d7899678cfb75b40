using Ledger.Domain.Developments;
using Ledger.Domain.Provenance;

namespace Ledger.Tests.Domain;

public class ProvenanceTests
{
    private const string Text = "Russia has offered to exchange 1,200 prisoners. Kiev will consider this proposal. Kiev will consider it.";

    [Fact]
    public void A_quote_found_once_resolves_to_its_characters()
    {
        var lookup = QuoteLocator.Locate(Text, "Kiev will consider this proposal.");

        Assert.True(lookup.Found);
        Assert.Equal(Text.IndexOf("Kiev will consider this", StringComparison.Ordinal), lookup.Anchor!.Start);
        Assert.Equal("Kiev will consider this proposal.", Text[lookup.Anchor.Start..lookup.Anchor.End]);
    }

    [Fact]
    public void An_ambiguous_quote_is_rejected_until_a_prefix_or_suffix_makes_it_unique()
    {
        Assert.Equal(QuoteProblem.Ambiguous, QuoteLocator.Locate(Text, "Kiev will consider").Problem);
        Assert.True(QuoteLocator.Locate(Text, "Kiev will consider", suffix: " it.").Found);
        Assert.True(QuoteLocator.Locate(Text, "Kiev will consider", prefix: "prisoners. ").Found);
    }

    [Fact]
    public void A_quote_that_is_not_verbatim_is_not_found()
    {
        Assert.Equal(QuoteProblem.NotFound, QuoteLocator.Locate(Text, "Russia has offered to exchange 1200 prisoners.").Problem);
    }

    [Fact]
    public void A_quote_is_shown_in_its_sentence()
    {
        var start = Text.IndexOf("1,200", StringComparison.Ordinal);
        var (sentence, at) = QuoteLocator.SentenceAround(Text, start, start + 5);

        Assert.Equal("Russia has offered to exchange 1,200 prisoners.", sentence);
        Assert.Equal("1,200", sentence.Substring(at, 5));
    }

    [Fact]
    public void A_quote_that_ends_its_sentence_is_shown_in_that_sentence_alone()
    {
        var quote = "Kiev will consider this proposal.";
        var start = Text.IndexOf(quote, StringComparison.Ordinal);

        Assert.Equal(quote, QuoteLocator.SentenceAround(Text, start, start + quote.Length).Sentence);
    }

    [Theory]
    [InlineData("2025-07-23", "2025-07-23", DatePrecision.Day)]
    [InlineData("2025-07", "2025-07-31", DatePrecision.Month)]
    [InlineData("before 2025-07-23", "2025-07-22", DatePrecision.Before)]
    [InlineData("by end of 2025-08", "2025-08-31", DatePrecision.ByEndOf)]
    [InlineData("by 2025-08-31", "2025-08-31", DatePrecision.ByEndOf)]
    public void Dates_keep_their_precision_and_count_from_the_last_day_they_allow(string text, string latest, DatePrecision precision)
    {
        Assert.True(FuzzyDate.TryParse(text, out var date));
        Assert.Equal(precision, date!.Precision);
        Assert.Equal(DateOnly.Parse(latest, System.Globalization.CultureInfo.InvariantCulture), date.Latest);
    }

    [Theory]
    [InlineData("23 July")]
    [InlineData("2025-13-01")]
    [InlineData("")]
    public void Dates_in_other_forms_are_refused(string text) => Assert.False(FuzzyDate.TryParse(text, out _));

    [Theory]
    [InlineData("0001-01-01", false)]
    [InlineData("before 0001-01-01", false)]
    [InlineData("9999-12-31", false)]
    [InlineData("by end of 9999-12", false)]
    [InlineData("1799-12-31", false)]
    [InlineData("2201-01", false)]
    [InlineData("1800-01-01", true)]
    [InlineData("by end of 2200-12", true)]
    public void Only_dates_in_a_plausible_range_of_years_parse(string text, bool parses)
    {
        Assert.Equal(parses, FuzzyDate.TryParse(text, out var date));
        Assert.Equal(parses, date is not null);
        if (date is not null)
        {
            Assert.True(date.Earliest <= date.Latest);
        }
    }

    [Fact]
    public void The_same_report_always_gets_the_same_claim_id_and_another_source_another()
    {
        var once = Claim.IdFor("n", "pow-1200", "izvestia", "Russia has offered");
        Assert.Equal(once, Claim.IdFor("n", "pow-1200", "izvestia", "Russia has offered"));
        Assert.NotEqual(once, Claim.IdFor("n", "pow-1200", "trt", "Russia has offered"));
        Assert.Equal(5, once.Version);
    }
}
