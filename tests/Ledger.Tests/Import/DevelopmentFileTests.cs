using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Recording;
using Ledger.Import;

namespace Ledger.Tests.Import;

/// <summary>The event-file reader on its own: what it accepts, and how it names what it refuses.</summary>
public class DevelopmentFileTests
{
    private const string Text = "North proposed a truce. South will consider it. About 30 civilians were returned. North proposed a truce.";

    private static readonly Negotiation Talks = new Negotiation("talks", "Talks", null, [], [], [])
        .Apply(new PartyRegistered("talks", "north", "North", "party"))
        .Apply(new PartyRegistered("talks", "south", "South", "party"))
        .Apply(new ActorRegistered("talks", "berg", "Anna Berg", "north", null, ["A. Berg"]))
        .Apply(new CategoryRegistered("talks", "civilians", "Civilians"))
        .Apply(new TrackOpened("talks", "truce", "Truce", null));

    private static (IReadOnlyList<Development> Claims, List<InputError> Errors) Read(string developments)
    {
        var errors = new List<InputError>();
        var yaml = "negotiation: talks\ndevelopments:\n" + developments;
        var root = YamlDocument.Parse("events/talks/file.yaml", yaml, errors);
        if (root is null)
        {
            return ([], errors);
        }

        var reading = Recorder.Read(new ProposedFile("events/talks/file.yaml", root), id => id == "talks" ? Talks : null, id => id == "wire" ? new SourceText("wire", Text, new DateOnly(2025, 3, 2)) : null);
        errors.AddRange(reading.Errors);
        return (errors.Count > 0 ? [] : reading.Claims, errors);
    }

    private const string Valid = """
          - key: truce
            track: truce
            kind: proposal-made
            occurred: 2025-03-01
            proposed-by: north
            said-by: A. Berg
            text: A truce
            reports:
              - source: wire
                quote: North proposed a truce.
                suffix: " South"

        """;

    [Fact]
    public void A_valid_report_becomes_a_claim_anchored_to_its_characters()
    {
        var (claims, errors) = Read(Valid);

        Assert.Empty(errors);
        var proposal = Assert.IsType<ProposalMade>(Assert.Single(claims));
        Assert.Equal((0, 23), (proposal.Claim.Provenance.Quote.Start, proposal.Claim.Provenance.Quote.End));
        Assert.Equal("berg", proposal.Claim.Provenance.SaidBy!.Actor);
        Assert.Equal("A. Berg", proposal.Claim.Provenance.SaidBy.AsNamed);
        Assert.Equal(new DateOnly(2025, 3, 2), proposal.Claim.Provenance.Published);
    }

    [Theory]
    [InlineData("kind: proposal-made", "kind: proposal-mad", "kind", "unknown kind 'proposal-mad'")]
    [InlineData("proposed-by: north", "proposed-by: west", "proposed-by", "unknown party 'west'")]
    [InlineData("said-by: A. Berg", "said-by: B. Berg", "said-by", "unknown actor 'B. Berg'")]
    [InlineData("text: A truce", "txt: A truce", "txt", "is not a known field here")]
    [InlineData("        suffix: \" South\"\n", "", "quote", "occurs 2 times")]
    [InlineData("occurred: 2025-03-01", "occurred: 2025-02-30", "occurred", "is not a date")]
    [InlineData("track: truce", "track: peace", "track", "unknown track 'peace'")]
    public void A_bad_field_is_named_with_its_line(string good, string bad, string field, string message)
    {
        var yaml = Valid.Replace(good, bad, StringComparison.Ordinal);
        var expectedLine = 2 + Valid.Split('\n').TakeWhile(l => !l.Contains(good.Trim('\n'), StringComparison.Ordinal)).Count() + 1;

        var (claims, errors) = Read(yaml);

        Assert.Empty(claims);
        var error = Assert.Single(errors, e => e.Field.EndsWith(field, StringComparison.Ordinal));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal("events/talks/file.yaml", error.File);
        if (!message.StartsWith("occurs", StringComparison.Ordinal))
        {
            Assert.Equal(expectedLine, error.Line);
        }
    }

    [Fact]
    public void A_report_may_override_what_its_development_says()
    {
        var (claims, errors) = Read("""
              - key: truce
                track: truce
                kind: proposal-made
                occurred: 2025-03-01
                proposed-by: north
                text: A truce
                reports:
                  - source: wire
                    quote: North proposed a truce.
                    suffix: " South"
                  - source: wire
                    quote: South will consider it.
                    kind: proposal-answered
                    proposal: truce
                    responding-party: south
                    response: under-consideration
            """);

        Assert.Empty(errors);
        var answer = Assert.Single(claims.OfType<ProposalAnswered>());
        Assert.Equal(ProposalResponse.UnderConsideration, answer.Response);
    }

    [Theory]
    [InlineData("about 30", 30, QuantityQualifier.About)]
    [InlineData("at least 1,200", 1200, QuantityQualifier.AtLeast)]
    [InlineData("more than 7000", 7000, QuantityQualifier.MoreThan)]
    [InlineData("250", 250, QuantityQualifier.Exactly)]
    public void Counts_keep_their_qualifiers(string text, int value, QuantityQualifier qualifier)
    {
        Assert.True(Quantity.TryParse(text, out var quantity));
        Assert.Equal(new Quantity(value, qualifier), quantity);
    }

    [Fact]
    public void A_yaml_syntax_error_is_reported_with_its_line()
    {
        var errors = new List<InputError>();

        var fields = YamlDocument.Load("events/talks/broken.yaml", "negotiation: talks\ndevelopments:\n  - key: [unclosed\n", errors);

        Assert.Null(fields);
        var error = Assert.Single(errors);
        Assert.Equal("(syntax)", error.Field);
        Assert.True(error.Line >= 3);
    }
}
