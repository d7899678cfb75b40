using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Provenance;
using Ledger.Domain.Recording;
using Ledger.Import;

namespace Ledger.Tests.Recording;

/// <summary>
/// Roles in time, without a database: Given the roles a negotiation registers, When a report names a role or gives a
/// person's role, Then whom the ledger resolves it to, or what it flags.
/// </summary>
public sealed class RoleTests
{
    private const string Text =
        "Minister Ada Vance, who leads the northern delegation, said the truce holds. "
        + "The head of the northern delegation said the talks went well. "
        + "Envoy Ada Vance said the corridor is open. "
        + "Secretary Ada Vance said the corridor is closed. "
        + "The head of the southern delegation said nothing.";

    private const string Registration = """
        negotiation: talks
        title: Talks
        parties:
          - { id: north, name: North }
          - { id: south, name: South }
        tracks:
          - { id: truce, title: Truce }
        actors:
          - id: vance
            name: Ada Vance
            party: north
            roles:
              - { role: minister, title: Minister, from: by 2025-05-16, to: 2025-06-02, source: wire, quote: Minister Ada Vance }
              - { role: head-of-delegation, title: who leads the northern delegation, from: 2025-05-16, to: 2025-06-30, source: wire, quote: "who leads the northern delegation" }
              - { role: secretary, title: Secretary, from: by 2025-07-23, source: wire, quote: Secretary Ada Vance }
          - id: brook
            name: Cal Brook
            party: north
            roles:
              - { role: head-of-delegation, title: head of the northern delegation, from: 2025-07-01, source: wire }
          - id: south-head
            name: Dee South
            party: south
            roles:
              - { role: head-of-delegation, party: south, title: head, from: 2025-05, to: 2025-07-31, source: wire }
          - id: south-deputy
            name: Eli South
            party: south
            roles:
              - { role: head-of-delegation, party: south, title: acting head, from: 2025-07-10, to: 2025-07-20, source: wire }
        """;

    private static readonly SourceText Wire = new("wire", Text, new DateOnly(2025, 8, 1), "Alpha Wire");

    private static Negotiation Registered(string yaml = Registration)
    {
        var (events, errors) = Register(yaml);
        Assert.Empty(errors);
        var negotiation = Negotiation.Create((NegotiationOpened)events[0]);
        foreach (var e in events.Skip(1))
        {
            negotiation = e switch
            {
                PartyRegistered p => negotiation.Apply(p),
                ActorRegistered a => negotiation.Apply(a),
                TrackOpened t => negotiation.Apply(t),
                RoleHeld r => negotiation.Apply(r),
                _ => negotiation,
            };
        }

        return negotiation;
    }

    private static (IReadOnlyList<object> Events, List<InputError> Errors) Register(string yaml, Func<string, SourceText?>? sources = null)
    {
        var errors = new List<InputError>();
        var fields = YamlDocument.Load(NegotiationFile.FileName, yaml, errors);
        Assert.NotNull(fields);
        var events = NegotiationFile.Read(fields, sources);
        return (events, errors);
    }

    private static FileDecision When(string occurred, string attribution, string quote, Negotiation? negotiation = null)
    {
        var lines = string.Join("\n", attribution.Split('\n').Select(line => "    " + line));
        var yaml = $"""
            negotiation: talks
            developments:
              - key: said
                track: truce
                kind: statement-made
                occurred: {occurred}
                by: north
                text: Something was said
            {lines}
                reports:
                  - source: wire
                    quote: {quote}
            """;
        var errors = new List<InputError>();
        var root = YamlDocument.Parse("said.yaml", yaml, errors);
        Assert.Empty(errors);
        var talks = negotiation ?? Registered();
        var state = new LedgerState(id => id == talks.Id ? talks : null, id => id == Wire.Id ? Wire : null, _ => null, (_, _) => null);
        return Assert.Single(Recorder.Decide([new ProposedFile("said.yaml", root!)], state, new RecordingOptions("alice", DateTimeOffset.UnixEpoch)));
    }

    private static Attribution SaidBy(FileDecision decision)
    {
        Assert.Empty(decision.Errors);
        return Assert.IsAssignableFrom<Development>(Assert.Single(decision.Events)).Claim.Provenance.SaidBy!;
    }

    private const string ByRole = "said-by-role: head-of-delegation\nsaid-by-party: north\nrole-as-given: The head of the northern delegation";

    private const string HeadQuote = "The head of the northern delegation said the talks went well.";

    [Fact]
    public void Given_roles_under_an_actor_Then_each_is_registered_with_its_bounds_and_source()
    {
        var (events, errors) = Register(Registration);

        Assert.Empty(errors);
        var roles = events.OfType<RoleHeld>().ToList();
        Assert.Equal(6, roles.Count);
        var minister = roles[0];
        Assert.Equal(new RoleHeld("talks", "vance", "minister", "north", "Minister", new FuzzyDate(new DateOnly(2025, 5, 16), DatePrecision.ByEndOf), new FuzzyDate(new DateOnly(2025, 6, 2)), "wire", "Minister Ada Vance"), minister);
        Assert.Null(roles.Single(r => r.Role == "secretary").To);
        Assert.Equal("south", roles.Single(r => r.ActorId == "south-head").PartyId);
        Assert.True(events.ToList().IndexOf(roles[0]) > events.ToList().FindLastIndex(e => e is ActorRegistered), "a role follows the registration of every actor");
    }

    [Theory]
    [InlineData("{ role: Head, title: t, source: wire }", "roles[0].role", "must use only a-z")]
    [InlineData("{ role: head, party: west, title: t, source: wire }", "roles[0].party", "unknown party 'west'")]
    [InlineData("{ role: head, title: t, source: Wire 1 }", "roles[0].source", "must use only a-z")]
    [InlineData("{ role: head, title: t, source: wire, from: 2025-13-01 }", "roles[0].from", "is not a date")]
    [InlineData("{ role: head, title: t, source: wire, from: 2025-07-02, to: 2025-07-01 }", "roles[0].to", "is before from")]
    [InlineData("{ role: head, source: wire }", "roles[0].title", "required")]
    [InlineData("{ role: head, title: t, source: wire, since: 2025-07-01 }", "roles[0].since", "not a known field")]
    public void Given_a_bad_role_Then_the_error_names_its_field(string role, string field, string message)
    {
        var yaml = $$"""
            negotiation: talks
            title: Talks
            parties:
              - { id: north, name: North }
            actors:
              - id: vance
                name: Ada Vance
                party: north
                roles:
                  - {{role}}
            """;

        var (events, errors) = Register(yaml);

        var error = Assert.Single(errors);
        Assert.EndsWith(field, error.Field, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => e is RoleHeld);
    }

    [Theory]
    [InlineData("{ role: minister, title: Minister, source: wire, quote: Minister Ada Vance }", null, null)]
    [InlineData("{ role: minister, title: Minister, source: daily, quote: Minister Ada Vance }", "roles[0].source", "unknown source 'daily'")]
    [InlineData("{ role: minister, title: Minister, source: wire, quote: Prime Minister Ada Vance }", "roles[0].quote", "not found verbatim in source 'wire'")]
    public void Given_the_registered_sources_Then_a_roles_source_must_be_one_and_its_quote_in_its_text(string role, string? field, string? message)
    {
        var yaml = $$"""
            negotiation: talks
            title: Talks
            parties:
              - { id: north, name: North }
            actors:
              - id: vance
                name: Ada Vance
                party: north
                roles:
                  - {{role}}
            """;

        var (events, errors) = Register(yaml, id => id == Wire.Id ? Wire : null);

        if (field is null)
        {
            Assert.Empty(errors);
            Assert.Single(events.OfType<RoleHeld>());
            return;
        }

        var error = Assert.Single(errors);
        Assert.EndsWith(field, error.Field, StringComparison.Ordinal);
        Assert.Contains(message!, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => e is RoleHeld);
    }

    [Fact]
    public void Given_a_role_held_on_the_day_When_a_report_names_only_the_role_Then_the_ledger_resolves_it_as_its_own_reading()
    {
        var saidBy = SaidBy(When("2025-06-01", ByRole, HeadQuote));

        Assert.Equal("vance", saidBy.ResolvedActor);
        Assert.Equal("role head-of-delegation of north on 2025-06-01", saidBy.ResolvedFrom);
        Assert.Null(saidBy.Actor);
        Assert.Null(saidBy.AsNamed);
        Assert.Equal("The head of the northern delegation", saidBy.RoleAsGiven);
        Assert.Equal("head-of-delegation", saidBy.Role);
        Assert.Equal("north", saidBy.Party);
        Assert.Null(saidBy.Unresolved);
    }

    [Fact]
    public void Given_the_role_passed_to_another_When_a_report_names_it_on_a_later_day_Then_it_resolves_to_the_later_holder()
    {
        var saidBy = SaidBy(When("2025-07-23", ByRole, HeadQuote));

        Assert.Equal("brook", saidBy.ResolvedActor);
        Assert.Equal("role head-of-delegation of north on 2025-07-23", saidBy.ResolvedFrom);
    }

    [Fact]
    public void Given_no_one_holding_the_role_on_the_day_Then_the_attribution_stays_unresolved_with_a_note()
    {
        var saidBy = SaidBy(When("2025-04-01", ByRole, HeadQuote));

        Assert.Null(saidBy.ResolvedActor);
        Assert.Null(saidBy.Actor);
        Assert.Contains("no one is registered as holding role head-of-delegation of north on 2025-04-01", saidBy.Unresolved, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_two_holders_on_the_day_Then_the_attribution_stays_unresolved_naming_both()
    {
        // Dee South's tenure (May to July) and Eli South's acting term overlap on 15 July.
        var saidBy = SaidBy(When("2025-07-15", "said-by-role: head-of-delegation\nsaid-by-party: south", "The head of the southern delegation said nothing."));

        Assert.Null(saidBy.ResolvedActor);
        Assert.Contains("more than one actor", saidBy.Unresolved, StringComparison.Ordinal);
        Assert.Contains("south-head", saidBy.Unresolved, StringComparison.Ordinal);
        Assert.Contains("south-deputy", saidBy.Unresolved, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_month_the_tenures_both_may_cover_Then_it_stays_unresolved()
    {
        // North's head changed on 1 July (Vance to 30 June, Brook from 1 July): "2025-06" is Vance's, "2025-07" Brook's,
        // but a report dated only "by 2025-07-31" may be either's.
        Assert.Equal("vance", SaidBy(When("2025-06", ByRole, HeadQuote)).ResolvedActor);
        Assert.Equal("brook", SaidBy(When("2025-07", ByRole, HeadQuote)).ResolvedActor);
        var vague = SaidBy(When("by 2025-07-31", ByRole, HeadQuote));
        Assert.Null(vague.ResolvedActor);
        Assert.Contains("vance", vague.Unresolved, StringComparison.Ordinal);
        Assert.Contains("brook", vague.Unresolved, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("said-by-role: head-of-delegation", "said-by-role", "needs said-by-party")]
    [InlineData("said-by-role: chair\nsaid-by-party: north", "said-by-role", "unknown role 'chair'")]
    [InlineData("said-by-role: head-of-delegation\nsaid-by-party: north\nsaid-by: Ada Vance", "said-by-role", "give one of them")]
    public void Given_a_role_report_missing_its_party_or_naming_an_unregistered_role_Then_it_is_refused(string attribution, string field, string message)
    {
        var decision = When("2025-06-01", attribution, HeadQuote);

        Assert.Empty(decision.Events);
        var error = Assert.Single(decision.Errors);
        Assert.EndsWith(field, error.Field, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_person_in_a_role_they_held_on_the_day_Then_no_conflict()
    {
        var saidBy = SaidBy(When("2025-05-20", "said-by: Ada Vance\nrole-as-given: Minister ... who leads the northern delegation", "Minister Ada Vance, who leads the northern delegation, said the truce holds."));

        Assert.Equal("vance", saidBy.Actor);
        Assert.Null(saidBy.RoleConflict);
    }

    [Fact]
    public void Given_a_person_in_a_role_they_no_longer_held_Then_the_claim_is_recorded_with_the_role_conflict_side_by_side()
    {
        var decision = When("2025-07-23", "said-by: Ada Vance\nrole-as-given: Minister", "Minister Ada Vance, who leads the northern delegation, said the truce holds.");

        var saidBy = SaidBy(decision);
        Assert.Equal("vance", saidBy.Actor);
        Assert.Equal("Ada Vance", saidBy.AsNamed);
        Assert.Equal("Minister", saidBy.RoleAsGiven);
        Assert.Equal(
            "the source calls vance \"Minister\" on 2025-07-23; the registered roles have vance as minister from by 2025-05-16 to 2025-06-02 per wire, not on 2025-07-23, when they have vance as Secretary (secretary)",
            saidBy.RoleConflict);
    }

    [Fact]
    public void Given_a_role_whose_start_is_only_bounded_Then_a_day_before_the_bound_is_no_conflict()
    {
        // "by 2025-07-23": Secretary from 23 July at the latest, perhaps long before.
        var saidBy = SaidBy(When("2025-06-01", "said-by: Ada Vance\nrole-as-given: Secretary", "Secretary Ada Vance said the corridor is closed."));

        Assert.Null(saidBy.RoleConflict);
    }

    [Fact]
    public void Given_words_that_name_none_of_the_persons_registered_roles_Then_no_conflict_is_claimed()
    {
        var saidBy = SaidBy(When("2025-07-23", "said-by: Ada Vance\nrole-as-given: Envoy", "Envoy Ada Vance said the corridor is open."));

        Assert.Null(saidBy.RoleConflict);
    }

    [Fact]
    public void Given_a_role_registered_again_from_the_same_source_Then_the_later_registration_replaces_it()
    {
        var talks = Registered().Apply(new RoleHeld("talks", "vance", "minister", "north", "Minister", null, null, "wire", null));

        Assert.Single(talks.Roles, r => r.ActorId == "vance" && r.Role == "minister");
        Assert.Null(SaidBy(When("2025-07-23", "said-by: Ada Vance\nrole-as-given: Minister", "Minister Ada Vance, who leads the northern delegation, said the truce holds.", talks)).RoleConflict);
    }
}
