using Ledger.Domain.Provenance;
using Ledger.Import;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Recording;

/// <summary>
/// A quote not found verbatim: Given a source's text, When a quote differs from it, Then the explanation says how
/// and where the passage is, and the quote is still refused.
/// </summary>
public sealed class QuoteMismatchTests(PostgresFixture postgres)
{
    private const string Article = "Kyiv’s delegation said 1,000 prisoners – wounded and young – would return.\nThe talks\u00A0resumed on Monday.  Medinsky called it “a step”.";

    public static TheoryData<string, string> TypographicSlips => new()
    {
        { "Kyiv's delegation said", "'’' (U+2019, curly apostrophe (right single quote)) where the quote has ''' (U+0027, straight apostrophe)" },
        { "1,000 prisoners - wounded", "'–' (U+2013, en dash) where the quote has '-' (U+002D, hyphen)" },
        { "1,000 prisoners — wounded", "'–' (U+2013, en dash) where the quote has '—' (U+2014, em dash)" },
        { "would return. The talks", "a line break where the quote has a space" },
        { "The talks resumed", "a non-breaking space (U+00A0) where the quote has a space" },
        { "on Monday. Medinsky", "2 spaces where the quote has a space" },
        { "called it \"a step\".", "'“' (U+201C, left double quote) where the quote has '\"' (U+0022, straight double quote)" },
    };

    [Theory]
    [MemberData(nameof(TypographicSlips))]
    public void A_typographic_slip_is_named_and_the_exact_passage_given_with_its_offsets(string quote, string why)
    {
        // Given the article, When the quote differs from it only in typography
        var lookup = QuoteLocator.Locate(Article, quote);
        var near = QuoteMismatch.Closest(Article, quote);
        var explanation = QuoteMismatch.Explain(Article, quote);

        // Then it is still not found, and the explanation names the difference and the exact passage
        Assert.Equal(QuoteProblem.NotFound, lookup.Problem);
        Assert.NotNull(near);
        Assert.True(near.SameWords);
        Assert.Equal(near.Passage, Article[near.Start..near.End]);
        Assert.Equal(QuoteProblem.None, QuoteLocator.Locate(Article, near.Passage).Problem);
        Assert.Contains(why, explanation, StringComparison.Ordinal);
        Assert.Contains($"characters {near.Start}–{near.End}", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_word_is_shown_against_the_closest_passage()
    {
        // Given the article, When the quote has another number
        var near = QuoteMismatch.Closest(Article, "said 3,000 prisoners – wounded and young – would return");

        // Then the closest passage is the sentence with the right number, and the difference is the number
        Assert.NotNull(near);
        Assert.False(near.SameWords);
        Assert.Equal("said 1,000 prisoners – wounded and young – would return", near.Passage);
        Assert.Contains("the source has '1,000' where the quote has '3,000'", near.Differences);
    }

    [Fact]
    public void A_quote_from_another_article_has_no_closest_passage()
    {
        var explanation = QuoteMismatch.Explain(Article, "Hamas released twenty living hostages in Gaza");

        Assert.Null(QuoteMismatch.Closest(Article, "Hamas released twenty living hostages in Gaza"));
        Assert.Contains("no passage of the source shares most of its words", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_error_names_file_line_and_field_and_says_why_the_quote_is_not_verbatim()
    {
        // Given the sample, with a non-breaking space typed into a quote of its second file
        var ledger = new Fresh(postgres);
        await ledger.InitializeAsync();
        await using var _ = ledger;
        var root = LedgerDatabase.CopySample();
        var file = Path.Combine(root, "events", "sample-talks", "02-after.yaml");
        var lines = await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken);
        var line = Array.FindIndex(lines, l => l.Contains("quote: The exchange of 300 prisoners began on 3 March.", StringComparison.Ordinal));
        Assert.True(line >= 0);
        lines[line] = lines[line].Replace("300 prisoners", "300\u00A0prisoners", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(file, lines, TestContext.Current.CancellationToken);

        // When it is imported
        var report = await ledger.ImportAsync(root);

        // Then the file is refused, and its error names the file, the line, the field and the reason
        var rejected = Assert.Single(report.Files, f => f.Outcome == FileOutcome.Rejected);
        var error = Assert.Single(rejected.Errors);
        Assert.Equal(Path.Combine("events", "sample-talks", "02-after.yaml"), error.File);
        Assert.Equal(line + 1, error.Line);
        Assert.EndsWith(".quote", error.Field, StringComparison.Ordinal);
        Assert.Contains("not found verbatim", error.Message, StringComparison.Ordinal);
        Assert.Contains("the source has a space where the quote has a non-breaking space (U+00A0)", error.Message, StringComparison.Ordinal);
        Assert.Contains("copy them exactly: \"The exchange of 300 prisoners began on 3 March.\"", error.Message, StringComparison.Ordinal);
    }

    private sealed class Fresh(PostgresFixture postgres) : LedgerDatabase(postgres);
}
