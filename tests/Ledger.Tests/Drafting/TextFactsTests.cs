using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Drafting;

namespace Ledger.Tests.Drafting;

/// <summary>What the draft reads in a sentence: Given a sentence and its publication date, Then these names, counts and dates.</summary>
public sealed class TextFactsTests
{
    private static readonly DateOnly Wednesday = new(2025, 8, 20);

    private static readonly Negotiation Talks = new Negotiation("talks", "Talks", null, [], [], [])
        .Apply(new PartyRegistered("talks", "russia", "Russia", "party"))
        .Apply(new PartyRegistered("talks", "ukraine", "Ukraine", "party"))
        .Apply(new ActorRegistered("talks", "lavrov", "Sergey Lavrov", "russia", "Foreign minister", ["Lavrov"]));

    [Theory]
    [InlineData("about 1,000 prisoners", 1000L, QuantityQualifier.About, "about 1,000")]
    [InlineData("more than 6,000 bodies", 6000L, QuantityQualifier.MoreThan, "more than 6,000")]
    [InlineData("at least 25 civilians", 25L, QuantityQualifier.AtLeast, "at least 25")]
    [InlineData("up to 1,200 people", 1200L, QuantityQualifier.UpTo, "up to 1,200")]
    [InlineData("84 prisoners", 84L, QuantityQualifier.Exactly, "84")]
    [InlineData("some 2 thousand soldiers", 2000L, QuantityQualifier.About, "about 2,000")]
    public void A_count_keeps_its_qualifier(string sentence, long value, QuantityQualifier qualifier, string field)
    {
        var count = Assert.Single(TextFacts.Counts(sentence));

        Assert.Equal(value, count.Value);
        Assert.Equal(qualifier, count.Qualifier);
        Assert.Equal(field, TextFacts.CountField(count));
    }

    [Fact]
    public void Years_days_of_the_month_and_times_are_not_counts()
    {
        Assert.Empty(TextFacts.Counts("On 16 May 2025 at 10:30 the talks opened; on May 17 they closed."));
    }

    [Theory]
    [InlineData("Lavrov said on Wednesday that", "2025-08-20", false)]
    [InlineData("the talks of Monday", "2025-08-18", false)]
    [InlineData("They met yesterday", "2025-08-19", false)]
    [InlineData("an answer by the end of August", "by 2025-08-31", true)]
    [InlineData("on 23 July the third round", "2025-07-23", false)]
    [InlineData("on July 23, the third round", "2025-07-23", false)]
    [InlineData("a meeting next Monday", "2025-08-25", false)]
    [InlineData("the exchange in June", "2025-06", false)]
    [InlineData("due by 1 September", "by 2025-09-01", true)]
    public void A_date_is_resolved_against_the_publication_date(string sentence, string resolved, bool deadline)
    {
        var date = Assert.Single(TextFacts.Dates(sentence, Wednesday));

        Assert.Equal(resolved, date.Resolved);
        Assert.Equal(deadline, date.Deadline);
    }

    [Fact]
    public void An_actor_is_named_by_any_alias_and_a_party_by_its_adjective()
    {
        var names = TextFacts.Names("Lavrov said the Ukrainian side had not answered the Russian proposal.", Talks);

        Assert.Contains(names, n => n is { Id: "lavrov", IsActor: true, AsWritten: "Lavrov" });
        Assert.Contains(names, n => n is { Id: "ukraine", IsActor: false, AsWritten: "Ukrainian" });
        Assert.Contains(names, n => n is { Id: "russia", AsWritten: "Russian" });
    }

    [Fact]
    public void Sentences_end_at_full_stops_and_line_breaks_but_not_at_initials()
    {
        var sentences = TextFacts.Sentences("Mr. A. Berg spoke. “We agree.” Then\nNext line");

        Assert.Equal(["Mr. A. Berg spoke.", "“We agree.”", "Then", "Next line"], sentences.Select(s => s.Text));
    }
}
