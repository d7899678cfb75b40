using System.Net;
using System.Text.Json;
using Ledger.Tests.Http;

namespace Ledger.Tests.Export;

public sealed class ExportEndpointTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>, IAsyncLifetime
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

    [Theory]
    [InlineData("csv", "text/csv")]
    [InlineData("jsonl", "application/x-ndjson")]
    [InlineData("jsonld", "application/ld+json")]
    public async Task Each_format_is_served_with_its_content_type(string format, string contentType)
    {
        using var client = server.Client();
        var response = await client.GetAsync($"/api/negotiations/{LedgerServerFixture.Negotiation}/export?format={format}", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("exchange", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_ld_identifiers_point_into_the_api_that_served_it()
    {
        using var client = server.Client();
        var body = await client.GetStringAsync($"/api/negotiations/{LedgerServerFixture.Negotiation}/export?format=jsonld", Ct);
        using var document = JsonDocument.Parse(body);
        var annotation = document.RootElement.GetProperty("first").GetProperty("items")[0];
        var id = annotation.GetProperty("id").GetString()!;

        Assert.StartsWith(server.BaseAddress.ToString().TrimEnd('/') + "/api/events/", id, StringComparison.Ordinal);
        var audited = await client.GetAsync(new Uri(id).PathAndQuery, Ct);
        Assert.Equal(HttpStatusCode.OK, audited.StatusCode);
    }

    [Fact]
    public async Task The_time_axes_narrow_the_export()
    {
        using var client = server.Client();
        var all = await client.GetStringAsync($"/api/negotiations/{LedgerServerFixture.Negotiation}/export?format=jsonl", Ct);
        var early = await client.GetStringAsync($"/api/negotiations/{LedgerServerFixture.Negotiation}/export?format=jsonl&knownOn=2025-03-01", Ct);

        Assert.True(all.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > early.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("format=xlsx", "format", "'xlsx' is not an export format; use one of: csv, jsonl, jsonld")]
    [InlineData("format=csv&asOf=June", "asOf", "'June' is not a date (YYYY-MM-DD)")]
    [InlineData("format=csv&knownOn=2025-02-30", "knownOn", "'2025-02-30' is not a date (YYYY-MM-DD)")]
    [InlineData("format=csv&track=hostages", "track", "No track 'hostages'")]
    public async Task Bad_input_is_a_problem_document_naming_the_parameter(string query, string field, string message)
    {
        using var client = server.Client();
        var response = await client.GetAsync($"/api/negotiations/{LedgerServerFixture.Negotiation}/export?{query}", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        var error = problem.RootElement.GetProperty("errors")[0];
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_negotiation_is_not_found()
    {
        using var client = server.Client();
        var response = await client.GetAsync("/api/negotiations/no-such-talks/export?format=csv", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
