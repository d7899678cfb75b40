using Ledger.Infrastructure.Http;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ledger.Recording;
using Ledger.Import;

namespace Ledger.Tests.Http;

/// <summary>Bad input is a 4xx problem document, never a 5xx or the end of the server, and never a write.</summary>
public sealed class HostileInputTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Text(string body, string? mediaType = "application/json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = mediaType is null ? null : new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        return content;
    }

    private static async Task StillAnswersAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/negotiations", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/developments")]
    [InlineData("/api/sources")]
    [InlineData("/api/webhooks")]
    public async Task Thirty_thousand_nested_brackets_are_a_problem_and_the_server_answers_the_next_request(string route)
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var before = await server.EventCountAsync();

        var problem = await (await alice.PostAsync(route, Text(new string('[', 30_000)), Ct)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("(syntax)", problem.ErrorFields());
        Assert.Contains($"deeper than {YamlDocument.MaxDepth}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await StillAnswersAsync(alice);
        Assert.Equal(before, await server.EventCountAsync());
    }

    [Fact]
    public async Task Five_thousand_nested_braces_are_a_problem()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);

        var body = "{\"negotiation\": \"harbour-talks\", \"developments\": " + string.Concat(Enumerable.Repeat("{\"a\": ", 5_000)) + "1" + new string('}', 5_001);
        var problem = await (await alice.PostAsync("/api/developments", Text(body), Ct)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("(syntax)", problem.ErrorFields());
        await StillAnswersAsync(alice);
    }

    [Fact]
    public async Task An_alias_bomb_is_a_problem()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var body = new StringBuilder("negotiation: harbour-talks\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            body.Append($"{level}: &{level} [{string.Join(",", Enumerable.Repeat($"*{(char)(level - 1)}", 9))}]\n");
        }

        body.Append("developments:\n  - source: *i\n");
        var problem = await (await alice.PostAsync("/api/developments", Text(body.ToString(), "application/yaml"), Ct)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("(syntax)", problem.ErrorFields());
        Assert.Contains("alias", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await StillAnswersAsync(alice);
    }

    [Fact]
    public async Task A_second_yaml_document_is_a_problem_not_ignored()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var before = await server.EventCountAsync();
        var first = JsonSerializer.Serialize(Sample.Position("north", "a truce must come first", "2025-03-03", "wire-0303", key: "two-documents"));

        var problem = await (await alice.PostAsync("/api/developments", Text(first + "\n---\nnegotiation: harbour-talks\ndevelopments: []\n", "application/yaml"), Ct)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("(syntax)", problem.ErrorFields());
        Assert.Contains("more than one", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await server.EventCountAsync());
    }

    [Theory]
    [InlineData("/api/developments", "image/png")]
    [InlineData("/api/developments", "application/x-www-form-urlencoded")]
    [InlineData("/api/developments", "text/plain")]
    [InlineData("/api/sources", "image/png")]
    [InlineData("/api/webhooks", "multipart/form-data")]
    public async Task A_body_that_is_neither_json_nor_yaml_is_415(string route, string mediaType)
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var before = await server.EventCountAsync();
        var body = route switch
        {
            "/api/sources" => JsonSerializer.Serialize(Sample.Source("png-1", "Some text.", "2025-03-01")),
            "/api/webhooks" => "{\"url\": \"http://127.0.0.1:1/hook\"}",
            _ => JsonSerializer.Serialize(Sample.Position("north", "a truce must come first", "2025-03-03", "wire-0303", key: "as-png")),
        };

        using var response = await alice.PostAsync(route, Text(body, mediaType), Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("application/json", response.Headers.GetValues("Accept-Post").Single(), StringComparison.Ordinal);
        Assert.Equal(before, await server.EventCountAsync());
    }

    [Theory]
    [InlineData("/api/developments")]
    [InlineData("/api/sources")]
    [InlineData("/api/webhooks")]
    public async Task The_openapi_document_lists_the_415_of_each_write(string route)
    {
        using var client = server.Client();
        var openapi = await (await client.GetAsync("/openapi/v1.json", Ct)).JsonAsync(HttpStatusCode.OK);

        var responses = openapi.GetProperty("paths").GetProperty(route).GetProperty("post").GetProperty("responses");
        Assert.True(responses.TryGetProperty("415", out _), responses.ToString());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/vnd.ledger+json")]
    [InlineData("application/yaml")]
    [InlineData("application/x-yaml")]
    [InlineData("text/yaml")]
    [InlineData(null)]
    public async Task Json_yaml_or_no_content_type_is_read(string? mediaType)
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var body = JsonSerializer.Serialize(Sample.Source($"typed-{(mediaType ?? "none").Replace('/', '-').Replace('.', '-').Replace('+', '-')}", "A source sent with some content type.", "2025-03-01"));

        await (await alice.PostAsync("/api/sources", Text(body, mediaType), Ct)).JsonAsync(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData(",")]
    [InlineData("ceasefire=1,,")]
    [InlineData("ceasefire=1, ")]
    [InlineData("=1")]
    [InlineData("ceasefire=")]
    [InlineData("ceasefire")]
    [InlineData("ceasefire=1, ceasefire=2")]
    [InlineData("1, ceasefire=1")]
    [InlineData("ceasefire=-1")]
    [InlineData("ceasefire=1; prisoners=2")]
    [InlineData("ceasefire==1")]
    public async Task A_malformed_expected_version_header_is_400_naming_the_header(string header)
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var before = await server.EventCountAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/developments")
        {
            Content = Sample.Json(Sample.Position("north", "a truce must come first", "2025-03-03", "wire-0303", key: "header-" + Convert.ToHexString(Encoding.UTF8.GetBytes(header)))),
        };
        request.Headers.TryAddWithoutValidation(RecordingEndpoints.ExpectedVersionHeader, header);

        var problem = await (await alice.SendAsync(request, Ct)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(RecordingEndpoints.ExpectedVersionHeader, problem.ErrorFields());
        Assert.Equal(before, await server.EventCountAsync());
    }

    [Fact]
    public async Task Thousands_of_errors_are_capped_and_the_rest_counted()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var developments = Enumerable.Range(0, 3_000).Select(_ => new Dictionary<string, object?>()).ToArray();

        using var response = await alice.PostAsync("/api/developments", Sample.Json(Sample.Developments(developments)), Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(Problems.MaxErrors, problem.GetProperty("errors").GetArrayLength());
        Assert.Equal(3_000 - Problems.MaxErrors, problem.GetProperty("moreErrors").GetInt32());
        Assert.Contains("3,000 problems", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{3_000 - Problems.MaxErrors:N0} more"), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Echoed_input_is_shortened_in_the_problem()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var developments = Enumerable.Range(0, 30).Select(i => new Dictionary<string, object?>
        {
            ["key"] = $"long-{i}",
            ["track"] = "prisoners",
            ["kind"] = "proposal-made",
            ["occurred"] = new string('9', 10_000),
            [new string('k', 10_000)] = "an unknown field with a long name",
            ["reports"] = new[] { new Dictionary<string, object?> { ["source"] = "wire-0303", ["quote"] = "North proposed" } },
        }).ToArray();

        using var response = await alice.PostAsync("/api/developments", Sample.Json(Sample.Developments(developments)), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(text.Length < 64 * 1024, $"a {text.Length:N0}-character problem for a 600 KB request");
        Assert.All(problem.GetProperty("errors").EnumerateArray(), e =>
        {
            Assert.True(e.GetProperty("field").GetString()!.Length <= Problems.MaxFieldLength, "field too long");
            Assert.True(e.GetProperty("message").GetString()!.Length <= Problems.MaxMessageLength, "message too long");
        });
        Assert.Contains(problem.ErrorFields(), f => f.EndsWith(".occurred", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("before 0001-01-01")]
    [InlineData("1799-12")]
    [InlineData("by end of 2201-01")]
    public async Task An_implausible_date_is_400_naming_the_field_and_the_range(string occurred)
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var before = await server.EventCountAsync();

        var problem = await (await alice.PostAsync("/api/developments", Sample.Json(Sample.Proposal(key: "ancient-" + occurred.Replace(' ', '-'), occurred: occurred)), Ct)).ProblemAsync(HttpStatusCode.BadRequest);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("developments[0].reports[0].occurred", error.GetProperty("field").GetString());
        Assert.Contains("1800", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await server.EventCountAsync());
    }
}
