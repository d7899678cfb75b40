using System.Net;
using System.Text;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Http;

public sealed class WriteTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_same_append_twice_records_once_and_says_so_and_the_writer_is_the_credentials_owner()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var body = Sample.Position("north", "a truce must come first", "2025-03-03", "wire-0303");

        var first = await (await alice.PostAsync("/api/developments", Sample.Json(body), Ct)).JsonAsync(HttpStatusCode.Created);
        var count = await server.EventCountAsync();
        var second = await (await alice.PostAsync("/api/developments", Sample.Json(body), Ct)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(1, first.GetProperty("appended").GetInt32());
        Assert.Equal(0, first.GetProperty("alreadyRecorded").GetInt32());
        Assert.Equal("alice", first.GetProperty("recordedBy").GetString());
        Assert.Equal(0, second.GetProperty("appended").GetInt32());
        Assert.Equal(1, second.GetProperty("alreadyRecorded").GetInt32());
        Assert.Equal("already-recorded", second.GetProperty("claims")[0].GetProperty("outcome").GetString());
        Assert.Equal(count, await server.EventCountAsync());

        var claimId = first.GetProperty("claims")[0].GetProperty("claimId").GetString();
        var audit = await (await alice.GetAsync($"/api/events/{claimId}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("alice", audit.GetProperty("recordedBy").GetString());
        Assert.Equal("a truce must come first", audit.GetProperty("quote").GetProperty("exact").GetString());

        // The event id, sequence and version the append reports are the stored event's.
        var appended = first.GetProperty("claims")[0];
        Assert.Equal(audit.GetProperty("eventId").GetString(), appended.GetProperty("eventId").GetString());
        Assert.Equal(audit.GetProperty("eventSequence").GetInt64(), appended.GetProperty("sequence").GetInt64());
        Assert.Equal(audit.GetProperty("streamVersion").GetInt64(), appended.GetProperty("streamVersion").GetInt64());
        Assert.Equal(audit.GetProperty("streamVersion").GetInt64(), first.GetProperty("streams")[0].GetProperty("version").GetInt64());
        Assert.Equal(first.GetProperty("streams")[0].GetProperty("version").GetInt64(), second.GetProperty("streams")[0].GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task An_append_says_in_its_Server_Timing_header_where_its_time_went()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        using var response = await alice.PostAsync("/api/developments", Sample.Json(Sample.Position("north", "North said a truce must come first", "2025-03-04", "wire-0303", key: "timing-1")), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var phases = Ledger.Bench.ServerTimingHeader.Parse(string.Join(", ", response.Headers.GetValues("Server-Timing")));
        Assert.Equal(["parse", "read", "validate", "references", "lock", "queue", "commit", "respond"], phases.Keys);
        Assert.All(phases.Values, ms => Assert.True(ms >= 0));
        Assert.True(phases["commit"] > 0, "the commit took no time");
    }

    [Fact]
    public async Task An_append_traces_the_same_phases_as_activities_of_the_ledger_source()
    {
        var phases = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == Ledger.Infrastructure.Telemetry.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
            ActivityStopped = phases.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        using var response = await alice.PostAsync("/api/developments", Sample.Json(Sample.Position("north", "North said a truce must come first", "2025-03-05", "wire-0303", key: "traced-1")), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // Other tests' appends may be traced too: each phase is there, and a commit takes time.
        var names = phases.Select(a => a.OperationName).ToHashSet();
        Assert.Superset(new HashSet<string> { "ledger.append.parse", "ledger.append.read", "ledger.append.lock", "ledger.append.commit", "ledger.append.respond" }, names);
        Assert.All(phases.Where(a => a.OperationName == "ledger.append.commit"), a => Assert.True(a.Duration > TimeSpan.Zero));
    }

    [Fact]
    public async Task The_same_append_sent_concurrently_is_recorded_once_and_so_is_a_source()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        using var bob = server.Client(LedgerServerFixture.BobKey);
        var source = Sample.Source("wire-race", "HARBOUR, 21 March 2025. North and South met again; North proposed a race.", "2025-03-21");
        var sources = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? alice : bob).PostAsync("/api/sources", Sample.Json(source), Ct)));
        Assert.All(sources, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        Assert.Single(sources, r => r.StatusCode == HttpStatusCode.Created);

        var body = Sample.Proposal(key: "race-proposal", quote: "North proposed a race", occurred: "2025-03-21");
        ((Dictionary<string, object?>[])((Dictionary<string, object?>[])body["developments"]!)[0]["reports"]!)[0]["source"] = "wire-race";
        var before = await server.EventCountAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? alice : bob).PostAsync("/api/developments", Sample.Json(body), Ct)));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(c => c == HttpStatusCode.Created));
        Assert.Equal(7, statuses.Count(c => c == HttpStatusCode.OK));
        Assert.Equal(before + 1, await server.EventCountAsync());
    }

    [Fact]
    public async Task A_writer_named_in_the_body_is_ignored_in_favour_of_the_credential()
    {
        using var bob = server.Client(LedgerServerFixture.BobKey, bearer: false);
        var body = Sample.Proposal(key: "exchange-bob");
        body["recorded-by"] = "mallory";

        var rejected = await (await bob.PostAsync("/api/developments", Sample.Json(body), Ct)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("recorded-by", rejected.ErrorFields());

        body.Remove("recorded-by");
        var accepted = await (await bob.PostAsync("/api/developments", Sample.Json(body), Ct)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("bob", accepted.GetProperty("recordedBy").GetString());
    }

    [Fact]
    public async Task Writing_without_a_key_is_401_with_a_wrong_key_or_a_read_only_key_403_and_nothing_is_written()
    {
        var before = await server.EventCountAsync();
        var body = Sample.Proposal(key: "exchange-unauthorised");

        using var anonymous = server.Client();
        var missing = await (await anonymous.PostAsync("/api/developments", Sample.Json(body), Ct)).ProblemAsync(HttpStatusCode.Unauthorized);
        using var wrong = server.Client("not-a-key");
        await (await wrong.PostAsync("/api/developments", Sample.Json(body), Ct)).ProblemAsync(HttpStatusCode.Forbidden);
        using var wrongHeader = server.Client("not-a-key", bearer: false);
        await (await wrongHeader.PostAsync("/api/sources", Sample.Json(Sample.Source("x-1", "text", "2025-03-01")), Ct)).ProblemAsync(HttpStatusCode.Forbidden);
        using var reader = server.Client(LedgerServerFixture.CarolReadKey);
        await (await reader.PostAsync("/api/developments", Sample.Json(body), Ct)).ProblemAsync(HttpStatusCode.Forbidden);

        Assert.Contains("API key", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await server.EventCountAsync());
    }

    [Theory]
    [InlineData("track", "no-such-track", "track")]
    [InlineData("quote", "North offered a thousand prisoners", "quote")]
    [InlineData("occurred", "the third of March", "occurred")]
    [InlineData("kind", "proposal-maybe", "kind")]
    public async Task Bad_input_is_a_problem_naming_the_field_and_a_batch_with_one_bad_report_appends_nothing(string field, string value, string expectedField)
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var good = Sample.Exchange();
        var bad = Sample.Proposal(key: $"bad-{field}");
        var developments = (Dictionary<string, object?>[])bad["developments"]!;
        var reports = (Dictionary<string, object?>[])developments[0]["reports"]!;
        if (field == "quote")
        {
            reports[0]["quote"] = value;
        }
        else
        {
            developments[0][field] = value;
        }

        var batch = Sample.Developments([.. (Dictionary<string, object?>[])good["developments"]!, developments[0]]);
        var before = await server.EventCountAsync();

        var problem = await (await alice.PostAsync("/api/developments", Sample.Json(batch), Ct)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(problem.ErrorFields(), f => f.StartsWith("developments[1]", StringComparison.Ordinal) && f.EndsWith("." + expectedField, StringComparison.Ordinal));
        Assert.Equal(before, await server.EventCountAsync());
    }

    [Fact]
    public async Task Unreadable_bodies_are_problems_not_errors()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var before = await server.EventCountAsync();

        await (await alice.PostAsync("/api/developments", new StringContent("{\"negotiation\": ", Encoding.UTF8, "application/json"), Ct)).ProblemAsync(HttpStatusCode.BadRequest);
        await (await alice.PostAsync("/api/developments", new StringContent("[1, 2]", Encoding.UTF8, "application/json"), Ct)).ProblemAsync(HttpStatusCode.BadRequest);
        await (await alice.PostAsync("/api/developments", new StringContent("", Encoding.UTF8, "application/json"), Ct)).ProblemAsync(HttpStatusCode.BadRequest);
        var unknown = await (await alice.PostAsync("/api/developments", Sample.Json(new Dictionary<string, object?> { ["negotiation"] = "nowhere", ["developments"] = Array.Empty<object>() }), Ct)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("negotiation", unknown.ErrorFields());
        var huge = new StringContent("{\"negotiation\": \"" + new string('x', 1_100_000) + "\"}", Encoding.UTF8, "application/json");
        // As a well-behaved client of a large upload does, ask first (Expect: 100-continue), so the refusal is read
        // rather than racing the upload.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/developments") { Content = huge };
        request.Headers.ExpectContinue = true;
        await (await alice.SendAsync(request, Ct)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(before, await server.EventCountAsync());
    }

    [Fact]
    public async Task A_stale_expected_version_is_409_and_appends_nothing_a_current_one_appends()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var first = await (await alice.PostAsync("/api/developments", Sample.Json(Sample.Position("south", "South said the ceasefire was not on the table", "2025-03-10", "daily-0310")), Ct)).JsonAsync(HttpStatusCode.Created);
        var version = first.GetProperty("streams")[0].GetProperty("version").GetInt64();
        var before = await server.EventCountAsync();

        var stale = Sample.Position("north", "North said a truce must come first", "2025-03-04", "wire-0303");
        stale["expected-versions"] = new Dictionary<string, long> { ["ceasefire"] = version - 1 };
        var problem = await (await alice.PostAsync("/api/developments", Sample.Json(stale), Ct)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("expected-versions.ceasefire", problem.ErrorFields());
        Assert.Equal(before, await server.EventCountAsync());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/developments") { Content = Sample.Json(Sample.Position("north", "North said a truce must come first", "2025-03-04", "wire-0303")) };
        request.Headers.Add("X-Expected-Version", $"ceasefire={version - 1}");
        await (await alice.SendAsync(request, Ct)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(before, await server.EventCountAsync());

        stale["expected-versions"] = new Dictionary<string, long> { ["ceasefire"] = version };
        var current = await (await alice.PostAsync("/api/developments", Sample.Json(stale), Ct)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(version + 1, current.GetProperty("streams")[0].GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_source_registers_once_the_same_text_again_is_a_no_op_and_other_text_is_a_conflict()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var source = Sample.Source("wire-0320", "HARBOUR, 20 March 2025. Talks resumed.", "2025-03-20");

        var registered = await (await alice.PostAsync("/api/sources", Sample.Json(source), Ct)).JsonAsync(HttpStatusCode.Created);
        var again = await (await alice.PostAsync("/api/sources", Sample.Json(source), Ct)).JsonAsync(HttpStatusCode.OK);
        var changed = Sample.Source("wire-0320", "HARBOUR, 20 March 2025. Talks did not resume.", "2025-03-20");
        var conflict = await (await alice.PostAsync("/api/sources", Sample.Json(changed), Ct)).ProblemAsync(HttpStatusCode.Conflict);
        var invalid = await (await alice.PostAsync("/api/sources", Sample.Json(Sample.Source("Bad Id", "x", "20 March")), Ct)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("registered", registered.GetProperty("outcome").GetString());
        Assert.Equal("already-registered", again.GetProperty("outcome").GetString());
        Assert.Equal(registered.GetProperty("contentHash").GetString(), again.GetProperty("contentHash").GetString());
        Assert.Contains("text", conflict.ErrorFields());
        Assert.Contains("id", invalid.ErrorFields());
        Assert.Contains("published", invalid.ErrorFields());
    }
}
