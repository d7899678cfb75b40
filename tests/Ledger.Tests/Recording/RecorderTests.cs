using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Recording;
using Ledger.Import;

namespace Ledger.Tests.Recording;

/// <summary>
/// The decider on its own, without a database: Given what the ledger holds, When reports are proposed, Then these
/// events or these errors.
/// </summary>
public sealed class RecorderTests
{
    private const string WireText = "North proposed a truce. South will consider it. About 30 civilians were returned. The talks ended. We withdraw our report on civilians.";
    private const string DailyText = "Beta Daily says 40 civilians were returned. Beta Daily withdraws the Alpha Wire report on civilians.";
    private static readonly DateTimeOffset Now = new(2025, 4, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Negotiation Talks = new Negotiation("talks", "Talks", null, [], [], [])
        .Apply(new PartyRegistered("talks", "north", "North", "party"))
        .Apply(new PartyRegistered("talks", "south", "South", "party"))
        .Apply(new CategoryRegistered("talks", "civilians", "Civilians"))
        .Apply(new TrackOpened("talks", "truce", "Truce", null))
        .Apply(new TrackOpened("talks", "civilians", "Civilians", null));

    private static readonly Dictionary<string, SourceText> Sources = new()
    {
        ["wire-1"] = new SourceText("wire-1", WireText, new DateOnly(2025, 3, 2), "Alpha Wire"),
        ["wire-2"] = new SourceText("wire-2", WireText, new DateOnly(2025, 3, 5), "Alpha Wire"),
        ["daily"] = new SourceText("daily", DailyText, new DateOnly(2025, 3, 4), "Beta Daily"),
    };

    private const string Truce = """
        negotiation: talks
        developments:
          - key: truce
            track: truce
            kind: proposal-made
            occurred: 2025-03-01
            proposed-by: north
            text: A truce
            reports:
              - source: wire-1
                quote: North proposed a truce.
        """;

    private const string Civilians = """
        negotiation: talks
        developments:
          - key: civilians-returned
            track: civilians
            kind: exchange-completed
            occurred: 2025-03-01
            category: civilians
            transfers:
              - { to: south, count: about 30 }
            text: Civilians returned
            reports:
              - source: wire-1
                quote: About 30 civilians were returned.
        """;

    private sealed class Ledger
    {
        private readonly Dictionary<Guid, RecordedClaim> _claims = [];

        public Ledger Given(params string[] files)
        {
            foreach (var decision in Recorder.Decide([.. files.Select((f, i) => File($"given-{i}.yaml", f))], State, new RecordingOptions("alice", Now.AddDays(-1))))
            {
                Assert.Empty(decision.Errors);
                foreach (var claim in decision.Appended)
                {
                    _claims[claim.Claim.ClaimId] = new RecordedClaim(claim, Guid.NewGuid(), "alice");
                }
            }

            return this;
        }

        public LedgerState State => new(
            id => id == Talks.Id ? Talks : null,
            id => Sources.GetValueOrDefault(id),
            id => _claims.GetValueOrDefault(id),
            (negotiation, key) => _claims.Values.Where(c => c.Development.Claim.DevelopmentKey == key).ToList() is { Count: > 0 } all
                ? new DevelopmentOnRecord(negotiation, key, all[0].Development.Claim.TrackId, all.Select(c => c.Development.Kind).ToHashSet())
                : null);

        public IReadOnlyList<FileDecision> When(params string[] files) => WhenWith(new RecordingOptions("bob", Now), files);

        public IReadOnlyList<FileDecision> WhenWith(RecordingOptions options, params string[] files) =>
            Recorder.Decide([.. files.Select((f, i) => File($"file-{i}.yaml", f))], State, options);
    }

    private static ProposedFile File(string name, string yaml)
    {
        var errors = new List<InputError>();
        var root = YamlDocument.Parse(name, yaml, errors);
        Assert.Empty(errors);
        return new ProposedFile(name, root!);
    }

    private static InputError SingleError(IReadOnlyList<FileDecision> decisions, string fieldEnd, string message)
    {
        var decision = Assert.Single(decisions, d => d.Rejected);
        Assert.Empty(decision.Events);
        var error = Assert.Single(decision.Errors, e => e.Field.EndsWith(fieldEnd, StringComparison.Ordinal));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        return error;
    }

    [Fact]
    public void Given_nothing_When_a_report_is_proposed_Then_it_is_appended()
    {
        var decision = Assert.Single(new Ledger().When(Truce));

        Assert.False(decision.Rejected);
        Assert.IsType<ProposalMade>(Assert.Single(decision.Events));
    }

    [Fact]
    public void Given_a_report_When_the_same_report_is_proposed_again_Then_nothing_is_appended_and_it_is_already_recorded()
    {
        var decision = Assert.Single(new Ledger().Given(Truce).When(Truce));

        Assert.Empty(decision.Events);
        Assert.Equal("alice", Assert.Single(decision.AlreadyRecorded).RecordedBy);
    }

    [Fact]
    public void Given_a_report_When_its_count_is_edited_Then_a_revision_records_the_count_before_and_after()
    {
        var decision = Assert.Single(new Ledger().Given(Civilians).When(Civilians.Replace("about 30", "30", StringComparison.Ordinal)));

        var revision = Assert.IsType<ReportRevised>(Assert.Single(decision.Events));
        var change = Assert.Single(revision.Changes);
        Assert.Equal("transfers", change.Field);
        Assert.Contains("about", change.Before, StringComparison.Ordinal);
        Assert.DoesNotContain("about", change.After, StringComparison.Ordinal);
        Assert.Equal(("bob", Now), (revision.RevisedBy, revision.RevisedAt));
    }

    [Theory]
    [InlineData("kind: exchange-completed", "kind: exchange-underway", "kind")]
    [InlineData("occurred: 2025-03-01", "occurred: 2025-03-02", "claim.provenance.occurred.date")]
    [InlineData("text: Civilians returned", "text: Civilians handed over", "text")]
    public void Given_a_report_When_its_kind_date_or_text_is_edited_Then_the_revision_names_that_field(string before, string after, string field)
    {
        var decision = Assert.Single(new Ledger().Given(Civilians).When(Civilians.Replace(before, after, StringComparison.Ordinal)));

        var revision = Assert.IsType<ReportRevised>(Assert.Single(decision.Events));
        Assert.Contains(revision.Changes, c => c.Field == field);
    }

    [Fact]
    public void Given_a_report_When_it_is_edited_in_strict_mode_Then_it_is_refused_with_the_difference()
    {
        var decisions = new Ledger().Given(Civilians).WhenWith(new RecordingOptions("bob", Now, Strict: true), Civilians.Replace("about 30", "31", StringComparison.Ordinal));

        SingleError(decisions, "(report)", "transfers:");
    }

    [Fact]
    public void Given_a_report_When_it_is_moved_to_another_track_Then_it_is_refused_and_told_to_withdraw_it()
    {
        var decisions = new Ledger().Given(Truce).When(Truce.Replace("track: truce", "track: civilians", StringComparison.Ordinal));

        SingleError(decisions, "track", "withdraw it");
    }

    private const string DailyRetractsWire = """
        negotiation: talks
        developments:
          - key: civilians-retraction
            track: civilians
            kind: report-retracted
            occurred: 2025-03-04
            retracts:
              development: civilians-returned
              source: wire-1
              quote: About 30 civilians were returned.
            text: Could not be confirmed
            reports:
              - source: daily
                quote: Beta Daily withdraws the Alpha Wire report on civilians.
        """;

    [Fact]
    public void Given_an_outlets_report_When_another_outlet_retracts_it_Then_the_retraction_is_refused()
    {
        var decisions = new Ledger().Given(Civilians).When(DailyRetractsWire);

        SingleError(decisions, "retracts", "an outlet corrects or retracts only its own reports");
    }

    [Fact]
    public void Given_an_outlets_report_When_the_same_outlet_retracts_it_in_a_later_article_Then_the_retraction_is_appended()
    {
        var own = DailyRetractsWire.Replace("source: daily", "source: wire-2", StringComparison.Ordinal)
            .Replace("Beta Daily withdraws the Alpha Wire report on civilians.", "We withdraw our report on civilians.", StringComparison.Ordinal);

        var decision = Assert.Single(new Ledger().Given(Civilians).When(own));

        Assert.IsType<ReportRetracted>(Assert.Single(decision.Events));
    }

    [Fact]
    public void Given_a_report_When_its_own_outlet_retracts_it_on_another_track_Then_the_retraction_is_refused()
    {
        var elsewhere = DailyRetractsWire.Replace("source: daily", "source: wire-2", StringComparison.Ordinal)
            .Replace("Beta Daily withdraws the Alpha Wire report on civilians.", "We withdraw our report on civilians.", StringComparison.Ordinal)
            .Replace("    track: civilians", "    track: truce", StringComparison.Ordinal);

        SingleError(new Ledger().Given(Civilians).When(elsewhere), "retracts", "on track 'civilians'");
    }

    [Theory]
    [InlineData("transfers:\n      - { to: south, count: 30 }")]
    [InlineData("venue: Istanbul")]
    public void When_an_agreement_carries_a_field_its_kind_does_not_use_Then_the_field_is_named_with_the_kind(string field)
    {
        var agreement = $"""
            negotiation: talks
            developments:
              - key: truce-agreed
                track: truce
                kind: agreement-reached
                occurred: 2025-03-01
                parties: [north, south]
                text: A truce
                {field}
                reports:
                  - source: wire-1
                    quote: North proposed a truce.
            """;

        SingleError(new Ledger().When(agreement), field.Split(':')[0], "is not a field of kind 'agreement-reached'");
    }

    [Fact]
    public void When_a_development_is_declared_in_two_files_with_other_defaults_Then_the_second_file_is_refused()
    {
        var again = Truce.Replace("text: A truce", "text: A full truce", StringComparison.Ordinal)
            .Replace("quote: North proposed a truce.", "quote: South will consider it.", StringComparison.Ordinal);

        var decisions = new Ledger().When(Truce, again);

        Assert.False(decisions[0].Rejected);
        var error = SingleError(decisions, "developments", "also declared in file-0.yaml");
        Assert.Contains("text", error.Message, StringComparison.Ordinal);
    }

    private const string Answer = """
        negotiation: talks
        developments:
          - key: truce-answer
            track: truce
            kind: proposal-answered
            occurred: 2025-03-02
            proposal: truce
            responding-party: south
            response: under-consideration
            text: South will consider it
            reports:
              - source: wire-1
                quote: South will consider it.
        """;

    [Fact]
    public void Given_no_proposal_When_an_answer_names_one_Then_the_answer_is_refused()
    {
        SingleError(new Ledger().When(Answer), "proposal", "is not a proposal in the ledger");
    }

    [Fact]
    public void Given_a_proposal_When_an_answer_to_it_is_proposed_Then_it_is_appended()
    {
        var decision = Assert.Single(new Ledger().Given(Truce).When(Answer));

        Assert.IsType<ProposalAnswered>(Assert.Single(decision.Events));
    }

    [Fact]
    public void Given_a_proposal_When_an_answer_on_another_track_names_it_Then_the_answer_is_refused()
    {
        SingleError(new Ledger().Given(Truce).When(Answer.Replace("track: truce", "track: civilians", StringComparison.Ordinal)), "proposal", "an answer belongs to its proposal's track");
    }

    [Fact]
    public void Given_a_development_When_its_key_is_used_on_another_track_Then_the_report_is_refused()
    {
        var sameKeyElsewhere = Civilians.Replace("key: civilians-returned", "key: truce", StringComparison.Ordinal);

        SingleError(new Ledger().Given(Truce).When(sameKeyElsewhere), "track", "development 'truce' is on track 'truce' already");
    }

    [Theory]
    [InlineData("developments: []")]
    [InlineData("negotiation:\ndevelopments: []")]
    [InlineData("negotiation: [talks]\ndevelopments: []")]
    [InlineData("negotiation: { id: talks }\ndevelopments: []")]
    public void When_a_file_has_no_negotiation_as_a_single_value_Then_it_is_an_error_naming_the_field(string yaml)
    {
        SingleError(new Ledger().When(yaml), "negotiation", "");
    }

    [Fact]
    public void When_a_file_has_many_errors_Then_every_one_is_reported_up_to_a_bound()
    {
        var many = string.Concat(Enumerable.Range(0, 150).Select(i => $"""

              - key: bad-{i}
                track: nowhere
                kind: proposal-made
                occurred: 2025-03-01
                proposed-by: north
                text: x
                reports:
                  - source: wire-1
                    quote: North proposed a truce.
            """));
        var decisions = new Ledger().When("negotiation: talks\ndevelopments:" + many);

        var decision = Assert.Single(decisions);
        Assert.Equal(Recorder.MaxErrorsPerFile + 1, decision.Errors.Count);
        Assert.Contains("more errors not listed", decision.Errors[^1].Message, StringComparison.Ordinal);
        Assert.Equal(Recorder.MaxErrorsPerFile, decision.Errors.Count(e => e.Field.EndsWith("track", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("count: about 30", "count: \"1,2,3\"", "count")]
    [InlineData("count: about 30", "count: -5", "count")]
    [InlineData("text: Civilians returned", "text: \"Civilians\\0 returned\"", "text")]
    [InlineData("text: Civilians returned", "text: \"Civilians \\u202Ereturned\"", "text")]
    public void When_a_value_is_malformed_Then_the_field_is_named(string good, string bad, string field)
    {
        SingleError(new Ledger().When(Civilians.Replace(good, bad, StringComparison.Ordinal)), field, "");
    }

    [Fact]
    public void Given_alices_report_When_bob_a_writer_revises_it_Then_it_is_refused_naming_the_field_and_who_coded_it()
    {
        var ledger = new Ledger().Given(Civilians);
        var edited = Civilians.Replace("about 30", "31", StringComparison.Ordinal);

        var refused = Assert.Single(ledger.WhenWith(new RecordingOptions("bob", Now) { Role = RecordingRole.Writer }, edited));
        var byAlice = Assert.Single(ledger.WhenWith(new RecordingOptions("alice", Now) { Role = RecordingRole.Writer }, edited));
        var byEditor = Assert.Single(ledger.WhenWith(new RecordingOptions("dana", Now) { Role = RecordingRole.Editor }, edited));

        Assert.True(refused.NeedsEditor);
        Assert.Empty(refused.Events);
        var error = Assert.Single(refused.Errors);
        Assert.EndsWith(".(report)", error.Field, StringComparison.Ordinal);
        Assert.Contains("coded by 'alice'", error.Message, StringComparison.Ordinal);
        Assert.Contains("editor role", error.Message, StringComparison.Ordinal);
        Assert.IsType<ReportRevised>(Assert.Single(byAlice.Events));
        Assert.IsType<ReportRevised>(Assert.Single(byEditor.Events));
        Assert.False(byEditor.NeedsEditor);
    }

    [Fact]
    public void Given_alices_report_When_bob_a_writer_sends_it_unchanged_or_records_new_reports_Then_nothing_is_refused()
    {
        var ledger = new Ledger().Given(Civilians);

        var decisions = ledger.WhenWith(new RecordingOptions("bob", Now) { Role = RecordingRole.Writer }, Civilians, Truce);

        Assert.All(decisions, d => Assert.Empty(d.Errors));
        Assert.Single(decisions[0].AlreadyRecorded);
        Assert.Single(decisions[1].Appended);
    }

    [Fact]
    public void Given_alices_report_When_a_writer_withdraws_it_Then_only_alice_or_an_editor_may()
    {
        var ledger = new Ledger().Given(Truce);
        var recorded = ledger.State.Claim(Claim.IdFor("talks", "truce", "wire-1", "North proposed a truce."))!;
        var id = recorded.Development.Claim.ClaimId;

        var bob = Recorder.DecideWithdrawal(recorded, id, "wrong article", new RecordingOptions("bob", Now) { Role = RecordingRole.Writer });
        var alice = Recorder.DecideWithdrawal(recorded, id, "wrong article", new RecordingOptions("alice", Now) { Role = RecordingRole.Writer });
        var dana = Recorder.DecideWithdrawal(recorded, id, "wrong article", new RecordingOptions("dana", Now) { Role = RecordingRole.Editor });

        Assert.Equal((WithdrawalRefusal.NeedsEditor, (ReportWithdrawn?)null), (bob.Refusal, bob.Withdrawn));
        Assert.Contains("coded by 'alice'", bob.Error, StringComparison.Ordinal);
        Assert.Equal(WithdrawalRefusal.None, alice.Refusal);
        Assert.Equal("dana", dana.Withdrawn!.WithdrawnBy);
    }

    [Fact]
    public void Given_a_report_When_the_recorder_withdraws_it_Then_the_withdrawal_keeps_who_when_and_why()
    {
        var ledger = new Ledger().Given(Truce);
        var recorded = ledger.State.Claim(Claim.IdFor("talks", "truce", "wire-1", "North proposed a truce."));

        var (withdrawn, error) = Recorder.Withdraw(recorded, recorded!.Development.Claim.ClaimId, "coded from the wrong article", new RecordingOptions("carol", Now));

        Assert.Null(error);
        Assert.Equal(("carol", Now, "coded from the wrong article"), (withdrawn!.WithdrawnBy, withdrawn.WithdrawnAt, withdrawn.Reason));
        Assert.NotNull(Recorder.Withdraw(recorded, recorded.Development.Claim.ClaimId, " ", new RecordingOptions("carol", Now)).Error);
        Assert.NotNull(Recorder.Withdraw(null, Guid.NewGuid(), "gone", new RecordingOptions("carol", Now)).Error);
    }

    [Fact]
    public void The_same_reports_read_from_YAML_and_from_JSON_decide_the_same_events()
    {
        var json = """
            {"negotiation": "talks", "developments": [{"key": "civilians-returned", "track": "civilians", "kind": "exchange-completed",
              "occurred": "2025-03-01", "category": "civilians", "transfers": [{"to": "south", "count": "about 30"}],
              "text": "Civilians returned", "reports": [{"source": "wire-1", "quote": "About 30 civilians were returned."}]}]}
            """;
        var errors = new List<InputError>();
        var root = JsonInput.Parse("body", json, errors);
        Assert.Empty(errors);
        var ledger = new Ledger();

        var fromJson = Assert.Single(Recorder.Decide([new ProposedFile("body", root!)], ledger.State, new RecordingOptions("bob", Now)));
        var fromYaml = Assert.Single(ledger.When(Civilians));

        Assert.Equal(
            global::Ledger.Infrastructure.Json.Serialize(fromYaml.Events),
            global::Ledger.Infrastructure.Json.Serialize(fromJson.Events));
    }

    [Fact]
    public void When_one_sentence_reports_a_development_of_several_tracks_Then_it_is_one_claim_linked_to_each()
    {
        var linked = Truce.Replace("    track: truce\n", "    track: truce\n    also-tracks: [civilians]\n", StringComparison.Ordinal);

        var decision = Assert.Single(new Ledger().When(linked));

        var claim = Assert.IsType<ProposalMade>(Assert.Single(decision.Events));
        Assert.Equal(["civilians"], claim.Claim.AlsoTracks);
        SingleError(new Ledger().When(Truce.Replace("    track: truce\n", "    track: truce\n    also-tracks: [nowhere]\n", StringComparison.Ordinal)), "also-tracks", "unknown track 'nowhere'");
    }

    [Fact]
    public void When_a_report_carries_its_attribution_chain_and_the_coders_readings_Then_the_claim_keeps_each_as_what_it_is()
    {
        // The report is the last line of the file.
        const string quote = "        quote: About 30 civilians were returned.";
        var chained = Civilians.Replace(
            quote,
            quote + "\n        via: Reuters\n        asserted-by: north\n        occurred: undated"
                + "\n        inferred: { transfers: \"the article's 'about 30' is read as returned to South\" }",
            StringComparison.Ordinal);
        Assert.NotEqual(Civilians, chained);

        var claim = Assert.IsType<ExchangeCompleted>(Assert.Single(Assert.Single(new Ledger().When(chained)).Events)).Claim;

        Assert.Equal(("Reuters", "north"), (claim.Provenance.SaidBy!.Via, claim.Provenance.SaidBy.AssertedBy));
        Assert.Equal("undated, published 2025-03-02", claim.Provenance.Occurred.ToString());
        Assert.Equal("Alpha Wire", claim.Provenance.Outlet);
        Assert.Contains("about 30", claim.Inferred["transfers"], StringComparison.Ordinal);
        SingleError(new Ledger().When(Civilians.Replace(quote, quote + "\n        inferred: { quote: guessed }", StringComparison.Ordinal)), "inferred.quote", "names no field");
    }

    [Fact]
    public void When_a_contradiction_names_a_development_that_does_not_exist_Then_it_is_refused()
    {
        var link = """
            negotiation: talks
            developments:
              - key: truce-contradiction
                track: truce
                kind: contradiction-noted
                occurred: 2025-03-02
                between: [truce, nothing-like-it]
                text: x
                reports:
                  - source: wire-1
                    quote: South will consider it.
            """;

        SingleError(new Ledger().Given(Truce).When(link), "between", "'nothing-like-it' is not a development");
    }
}
