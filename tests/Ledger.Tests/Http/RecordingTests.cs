using System.Net;
using System.Text.Json;
using Ledger.Import;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Http;

/// <summary>The append endpoint as the same decider as import: revisions, ownership of corrections, and the truth about who recorded what.</summary>
public sealed class RecordingTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, object?> Exchange(string key, string count) => Sample.Developments(new Dictionary<string, object?>
    {
        ["key"] = key,
        ["track"] = "prisoners",
        ["kind"] = "exchange-completed",
        ["occurred"] = "2025-03-10",
        ["category"] = "prisoners-of-war",
        ["transfers"] = new[] { new Dictionary<string, object?> { ["to"] = "north", ["count"] = count } },
        ["text"] = "Exchange of 100 for 100",
        ["reports"] = new[] { new Dictionary<string, object?> { ["source"] = "daily-0310", ["quote"] = "completed an exchange of 100 prisoners each" } },
    });

    [Fact]
    public async Task The_same_report_with_an_edited_count_is_a_revision_with_before_and_after_and_strict_mode_refuses_it()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        await (await alice.PostAsync("/api/developments", Sample.Json(Exchange("revised-exchange", "100")), Ct)).JsonAsync(HttpStatusCode.Created);

        var revised = await (await alice.PostAsync("/api/developments", Sample.Json(Exchange("revised-exchange", "99")), Ct)).JsonAsync(HttpStatusCode.Created);
        var claim = revised.GetProperty("claims")[0];
        Assert.Equal("revised", claim.GetProperty("outcome").GetString());
        var change = claim.GetProperty("changes")[0];
        Assert.Equal("transfers", change.GetProperty("field").GetString());
        Assert.Contains("100", change.GetProperty("before").GetString(), StringComparison.Ordinal);
        Assert.Contains("99", change.GetProperty("after").GetString(), StringComparison.Ordinal);

        var events = await server.EventCountAsync();
        var refused = await (await alice.PostAsync("/api/developments?strict=true", Sample.Json(Exchange("revised-exchange", "98")), Ct)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("recorded with other content", refused.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(events, await server.EventCountAsync());

        var audit = await (await alice.GetAsync($"/api/events/{claim.GetProperty("claimId").GetString()}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("transfers", audit.GetProperty("revisions")[0].GetProperty("changes")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_writer_resending_another_writers_report_is_told_who_recorded_it()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        using var bob = server.Client(LedgerServerFixture.BobKey);
        var body = Sample.Json(Sample.Position("north", "a truce must come first", "2025-03-03", "wire-0303", key: "who-recorded-it"));
        await (await alice.PostAsync("/api/developments", body, Ct)).JsonAsync(HttpStatusCode.Created);

        var again = await (await bob.PostAsync("/api/developments", Sample.Json(Sample.Position("north", "a truce must come first", "2025-03-03", "wire-0303", key: "who-recorded-it")), Ct)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("bob", again.GetProperty("recordedBy").GetString());
        Assert.Equal("alice", again.GetProperty("claims")[0].GetProperty("recordedBy").GetString());
    }

    [Fact]
    public async Task A_retry_after_a_lost_acknowledgement_with_its_original_expected_version_is_already_recorded()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var first = await (await alice.PostAsync("/api/developments", Sample.Json(Sample.Position("south", "the ceasefire was not on the table", "2025-03-10", "daily-0310", key: "retry-base")), Ct)).JsonAsync(HttpStatusCode.Created);
        var version = first.GetProperty("streams")[0].GetProperty("version").GetInt64();
        var body = JsonSerializer.Serialize(Sample.Position("north", "a truce must come first", "2025-03-03", "wire-0303", key: "retried-append"));

        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/developments") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Expected-Version", $"ceasefire={version}");
            return request;
        }

        await (await alice.SendAsync(Request(), Ct)).JsonAsync(HttpStatusCode.Created);
        var retried = await (await alice.SendAsync(Request(), Ct)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("already-recorded", retried.GetProperty("claims")[0].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task An_outlet_cannot_retract_another_outlets_report()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        await (await alice.PostAsync("/api/developments", Sample.Json(Sample.Proposal(key: "someone-elses-report")), Ct)).JsonAsync(HttpStatusCode.Created);
        var events = await server.EventCountAsync();
        var retraction = Sample.Developments(new Dictionary<string, object?>
        {
            ["key"] = "foreign-retraction",
            ["track"] = "prisoners",
            ["kind"] = "report-retracted",
            ["occurred"] = "2025-03-10",
            ["retracts"] = new Dictionary<string, object?> { ["development"] = "someone-elses-report", ["source"] = "wire-0303", ["quote"] = "North proposed to exchange 100 prisoners with South" },
            ["text"] = "Not so",
            ["reports"] = new[] { new Dictionary<string, object?> { ["source"] = "daily-0310", ["quote"] = "completed an exchange of 100 prisoners each" } },
        });

        var problem = await (await alice.PostAsync("/api/developments", Sample.Json(retraction), Ct)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(problem.ErrorFields(), f => f.EndsWith("retracts", StringComparison.Ordinal));
        Assert.Contains("only its own reports", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(events, await server.EventCountAsync());
    }

    [Theory]
    [InlineData("""{"developments": []}""")]
    [InlineData("""{"negotiation": null, "developments": []}""")]
    [InlineData("""{"negotiation": 7, "developments": []}""")]
    [InlineData("""{"negotiation": ["harbour-talks"], "developments": []}""")]
    public async Task A_body_without_a_negotiation_is_400_naming_the_field(string body)
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);

        var problem = await (await alice.PostAsync("/api/developments", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("negotiation", problem.ErrorFields());
    }

    [Fact]
    public async Task A_file_imported_and_the_same_reports_posted_as_JSON_are_the_same_claims()
    {
        var yaml = """
            negotiation: harbour-talks
            developments:
              - key: imported-then-posted
                track: prisoners
                kind: exchange-completed
                occurred: 2025-03-10
                category: prisoners-of-war
                transfers:
                  - { to: north, count: "100" }
                text: Exchange of 100 for 100
                reports:
                  - source: daily-0310
                    quote: completed an exchange of 100 prisoners each
            """;
        var folder = Path.Combine(Path.GetTempPath(), "ledger-same-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "events", "harbour-talks"));
            await File.WriteAllTextAsync(Path.Combine(folder, "events", "harbour-talks", "file.yaml"), yaml, Ct);
            var imported = await new Importer(server.Store, "import:test").ImportAsync(Path.Combine(folder, "seeds"), Path.Combine(folder, "events"), folder, ct: Ct);
            Assert.Equal((FileOutcome.Imported, 1), (imported.Files.Single().Outcome, imported.Files.Single().Appended));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var posted = await (await alice.PostAsync("/api/developments", Sample.Json(Exchange("imported-then-posted", "100")), Ct)).JsonAsync(HttpStatusCode.OK);

        // Not a revision: the decider found nothing that differs between the file's report and the body's.
        Assert.Equal("already-recorded", posted.GetProperty("claims")[0].GetProperty("outcome").GetString());
        Assert.Equal("import:test", posted.GetProperty("claims")[0].GetProperty("recordedBy").GetString());
    }
}
