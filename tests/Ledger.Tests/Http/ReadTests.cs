using System.Net;
using System.Text.Json;

namespace Ledger.Tests.Http;

public sealed class ReadTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var response = await alice.PostAsync("/api/developments", Sample.Json(Sample.Developments(
            [.. (Dictionary<string, object?>[])Sample.Proposal()["developments"]!, .. (Dictionary<string, object?>[])Sample.Exchange()["developments"]!])), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Status_as_of_a_date_shows_the_track_as_it_stood_then()
    {
        using var client = server.Client();
        var now = await (await client.GetAsync("/api/negotiations/harbour-talks/tracks/prisoners/status", Ct)).JsonAsync(HttpStatusCode.OK);
        var then = await (await client.GetAsync("/api/negotiations/harbour-talks/status?asOf=2025-03-05", Ct)).JsonAsync(HttpStatusCode.OK);
        var known = await (await client.GetAsync("/api/negotiations/harbour-talks/status?knownOn=2025-03-04", Ct)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("completed", Phase(now, "prisoners"));
        Assert.Equal("proposed", Phase(then, "prisoners"));
        Assert.Equal("proposed", Phase(known, "prisoners"));
        Assert.Equal(2, then.GetProperty("tracks").GetArrayLength());
    }

    [Fact]
    public async Task Http_answers_have_the_json_shape_of_the_command_line()
    {
        using var client = server.Client();
        var http = await (await client.GetAsync("/api/negotiations/harbour-talks/status", Ct)).Content.ReadAsStringAsync(Ct);
        await using var session = server.Store.QuerySession();
        var cli = Ledger.Infrastructure.Json.Serialize(await Ledger.Tracks.TrackQueries.StatusAsync(session, "harbour-talks", null, Ledger.Domain.Tracks.TimeAxes.Now, null, Ct));

        Assert.Equal(cli, http);
    }

    [Fact]
    public async Task Audit_leads_from_a_field_to_the_quote_and_its_characters_in_the_source()
    {
        using var client = server.Client();
        var audit = await (await client.GetAsync("/api/negotiations/harbour-talks/tracks/prisoners/audit?field=proposals", Ct)).JsonAsync(HttpStatusCode.OK);
        var claim = audit.GetProperty("fields")[0].GetProperty("claims")[0];
        var quote = claim.GetProperty("quote");
        var source = await (await client.GetAsync($"/api/sources/{claim.GetProperty("sourceId").GetString()}", Ct)).JsonAsync(HttpStatusCode.OK);
        var text = source.GetProperty("text").GetString()!;
        var start = quote.GetProperty("start").GetInt32();
        var end = quote.GetProperty("end").GetInt32();

        Assert.Equal(quote.GetProperty("exact").GetString(), text[start..end]);
        Assert.Contains(source.GetProperty("source").GetProperty("citations").EnumerateArray(), c => c.GetProperty("start").GetInt32() == start && c.GetProperty("end").GetInt32() == end);
        var byEvent = await (await client.GetAsync($"/api/events/{claim.GetProperty("eventId").GetString()}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(claim.GetProperty("claimId").GetString(), byEvent.GetProperty("claimId").GetString());
    }

    [Fact]
    public async Task The_timeline_lists_developments_in_the_order_they_occurred()
    {
        using var client = server.Client();
        JsonElement timeline = default;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            timeline = await (await client.GetAsync("/api/negotiations/harbour-talks/timeline?track=prisoners", Ct)).JsonAsync(HttpStatusCode.OK);
            if (timeline.GetArrayLength() >= 2)
            {
                break;
            }

            await Task.Delay(200, Ct);
        }

        var keys = timeline.EnumerateArray().Select(e => e.GetProperty("developmentKey").GetString()).ToList();
        Assert.True(keys.IndexOf("exchange-100") < keys.IndexOf("exchange-100-done"), string.Join(", ", keys));
    }

    [Fact]
    public async Task Sources_and_negotiations_are_listed()
    {
        using var client = server.Client();
        var sources = await (await client.GetAsync("/api/sources", Ct)).JsonAsync(HttpStatusCode.OK);
        var negotiations = await (await client.GetAsync("/api/negotiations", Ct)).JsonAsync(HttpStatusCode.OK);
        var one = await (await client.GetAsync("/api/negotiations/harbour-talks", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, one.GetProperty("tracks").GetArrayLength());

        Assert.Contains(sources.EnumerateArray(), s => s.GetProperty("id").GetString() == "wire-0303");
        Assert.Equal("harbour-talks", negotiations[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Bad_queries_and_unknown_things_are_problems()
    {
        using var client = server.Client();
        var date = await (await client.GetAsync("/api/negotiations/harbour-talks/status?asOf=yesterday", Ct)).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync("/api/negotiations/nowhere/status", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/negotiations/harbour-talks/tracks/nothing/status", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/events/not-a-guid", Ct)).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync($"/api/events/{Guid.NewGuid()}", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/sources/nothing", Ct)).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains("asOf", date.ErrorFields());
    }

    [Fact]
    public async Task The_openapi_document_the_reference_page_and_the_web_page_are_served()
    {
        using var client = server.Client();
        var openapi = await (await client.GetAsync("/openapi/v1.json", Ct)).JsonAsync(HttpStatusCode.OK);
        var docs = await client.GetAsync("/docs", Ct);
        var page = await client.GetAsync("/", Ct);

        var paths = openapi.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/developments", out _), paths.ToString());
        Assert.True(paths.TryGetProperty("/api/negotiations/{id}/status", out _));
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Every_operation_is_tagged_with_its_capability_and_has_a_summary()
    {
        using var client = server.Client();
        var openapi = await (await client.GetAsync("/openapi/v1.json", Ct)).JsonAsync(HttpStatusCode.OK);
        string[] capabilities = ["Negotiations", "Tracks", "Timeline", "Changes", "Audit", "Sources", "Recording", "Subscriptions", "Webhooks", "Export", "Keys", "Health"];

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in openapi.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("operationId", out _)))
            {
                var id = operation.Value.GetProperty("operationId").GetString()!;
                var tag = Assert.Single(operation.Value.GetProperty("tags").EnumerateArray()).GetString()!;
                Assert.Contains(tag, capabilities);
                Assert.False(string.IsNullOrWhiteSpace(operation.Value.TryGetProperty("summary", out var summary) ? summary.GetString() : null), $"{id} has no summary");
                tags[id] = tag;
            }
        }

        Assert.All(openapi.GetProperty("tags").EnumerateArray(), t => Assert.Contains(t.GetProperty("name").GetString(), capabilities));
        Assert.Equal("Recording", tags["appendDevelopments"]);
        Assert.Equal("Recording", tags["registerSource"]);
        Assert.Equal("Tracks", tags["trackStatus"]);
        Assert.Equal("Audit", tags["auditEvent"]);
        Assert.Equal("Export", tags["exportClaims"]);
        Assert.Equal("Subscriptions", tags["streamDevelopments"]);
        Assert.Equal("Webhooks", tags["registerWebhook"]);
    }

    private static string? Phase(JsonElement status, string track) =>
        status.GetProperty("tracks").EnumerateArray()
            .Single(t => t.GetProperty("track").GetProperty("id").GetString() == track)
            .GetProperty("status").GetProperty("phase").GetProperty("value").GetString();
}

public sealed class ClosedReadTests(ClosedLedgerServerFixture server) : IClassFixture<ClosedLedgerServerFixture>
{
    [Fact]
    public async Task When_configured_reads_need_a_key_too()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = server.Client();
        using var reader = server.Client(LedgerServerFixture.CarolReadKey);
        using var stranger = server.Client("who-knows");

        await (await anonymous.GetAsync("/api/negotiations", ct)).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await stranger.GetAsync("/api/negotiations", ct)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await reader.GetAsync("/api/negotiations", ct)).JsonAsync(HttpStatusCode.OK);
        await (await reader.PostAsync("/api/developments", Sample.Json(Sample.Proposal()), ct)).ProblemAsync(HttpStatusCode.Forbidden);
    }
}
