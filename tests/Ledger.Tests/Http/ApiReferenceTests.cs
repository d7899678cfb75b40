using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Http;

/// <summary>The OpenAPI document and the reference at /docs, as a reader of the API meets them.</summary>
public sealed partial class ApiReferenceTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>
{
    private static readonly string[] Capabilities =
        ["Negotiations", "Tracks", "Timeline", "Changes", "Audit", "Sources", "Recording", "Subscriptions", "Webhooks", "Export", "Keys", "Health"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonObject> DocumentAsync()
    {
        using var client = server.Client();
        return JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json", Ct))!.AsObject();
    }

    private static IEnumerable<(string Route, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => (path.Key, op.Key.ToUpperInvariant(), op.Value!.AsObject())));

    [Fact]
    public async Task Every_operation_has_a_readable_id_a_summary_a_description_and_one_capability_as_its_tag()
    {
        var document = await DocumentAsync();
        var operations = Operations(document).ToList();

        Assert.True(operations.Count >= 23, $"{operations.Count} operations");
        Assert.All(operations, op =>
        {
            var name = $"{op.Method} {op.Route}";
            var id = (string?)op.Operation["operationId"];
            Assert.True(id is not null && ReadableId().IsMatch(id), $"{name}: operationId '{id}'");
            Assert.False(string.IsNullOrWhiteSpace((string?)op.Operation["summary"]), $"{name}: no summary");
            var description = (string?)op.Operation["description"];
            Assert.False(string.IsNullOrWhiteSpace(description), $"{name}: no description");
            Assert.False(GeneratedName().IsMatch(description!), $"{name}: description '{description}' is the route's internal name");
            var tag = Assert.Single(op.Operation["tags"]!.AsArray());
            Assert.Contains((string)tag!, Capabilities);
        });
        Assert.Equal(operations.Count, operations.Select(o => (string?)o.Operation["operationId"]).Distinct().Count());
        Assert.Contains(operations, o => o.Route == "/api/negotiations/{id}/diff" && (string?)o.Operation["operationId"] == "negotiationDiff");
        Assert.Contains(operations, o => o.Route == "/health/ready" && (string?)o.Operation["tags"]![0] == "Health");
    }

    [Fact]
    public async Task The_groups_are_the_capabilities_in_order_each_with_a_description()
    {
        var tags = (await DocumentAsync())["tags"]!.AsArray().Select(t => t!.AsObject()).ToList();

        Assert.Equal(Capabilities, tags.Select(t => (string)t["name"]!));
        Assert.All(tags, t => Assert.True(((string?)t["description"])?.Length > 20, $"{t["name"]}: no description"));
    }

    [Fact]
    public async Task The_security_scheme_shows_the_key_placeholder_inside_code_so_markdown_does_not_swallow_it()
    {
        var scheme = (await DocumentAsync())["components"]!["securitySchemes"]!["apiKey"]!;
        var description = (string)scheme["description"]!;

        Assert.Contains("`Authorization: Bearer <key>`", description, StringComparison.Ordinal);
        Assert.Contains("`X-Api-Key: <key>`", description, StringComparison.Ordinal);
        var outsideCode = CodeSpan().Replace(description, "");
        Assert.DoesNotContain("<", outsideCode, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enums_are_described_as_the_kebab_case_strings_the_answers_carry()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!;

        foreach (var (name, expected) in new[] { ("Phase", "no-contact"), ("ProposalState", "under-consideration"), ("ChangeKind", "dispute-opened"), ("DeliveryStatus", "dead-lettered") })
        {
            var values = schemas[name]!["enum"]?.AsArray().Select(v => (string?)v).ToList();
            Assert.True(values is not null && values.Contains(expected), $"{name}: {schemas[name]!.ToJsonString()}");
            Assert.NotEqual("integer", (string?)schemas[name]!["type"]);
        }
    }

    [Fact]
    public async Task Body_examples_come_from_the_corpus_and_quote_its_sources_exactly()
    {
        var document = await DocumentAsync();
        var operations = Operations(document).ToDictionary(o => (string)o.Operation["operationId"]!, o => o.Operation);
        var seeds = Path.Combine(Repository.Root, "seeds");
        JsonNode Example(string id) => operations[id]["requestBody"]!["content"]!["application/json"]!["example"]!;

        var source = Example("registerSource");
        var seedText = await File.ReadAllTextAsync(Path.Combine(seeds, $"{(string)source["id"]!}.txt"), Ct);
        Assert.Contains((string)source["text"]!, seedText, StringComparison.Ordinal);

        var append = Example("appendDevelopments");
        Assert.Equal("ru-ua-istanbul-2025", (string?)append["negotiation"]);
        var report = append["developments"]![0]!["reports"]![0]!;
        var reportText = await File.ReadAllTextAsync(Path.Combine(seeds, $"{(string)report["source"]!}.txt"), Ct);
        Assert.Contains((string)report["quote"]!, reportText, StringComparison.Ordinal);

        var diff = operations["negotiationDiff"]["responses"]!["200"]!["content"]!["application/json"]!["example"]!;
        Assert.Equal("ru-ua-istanbul-2025", (string?)diff["negotiationId"]);
        Assert.Contains(diff["tracks"]!.AsArray(), t => t!["changes"]!.AsArray().Any(c => (string?)c!["key"] == "round-2-pow-exchange-agreement"));
    }

    [Fact]
    public async Task The_reference_page_names_no_other_host_and_turns_off_fonts_telemetry_and_vendor_features()
    {
        using var client = server.Client();
        var html = await client.GetStringAsync("/docs", Ct);

        Assert.DoesNotMatch(AbsoluteUrl(), html);
        foreach (var setting in new[] { "\"withDefaultFonts\":false", "\"telemetry\":false", "\"showDeveloperTools\":\"never\"" })
        {
            Assert.Contains(setting, html, StringComparison.Ordinal);
        }

        Assert.Matches(AgentDisabled(), html);
    }

    [Fact]
    public async Task In_a_browser_the_reference_requests_only_the_server_shows_the_key_placeholder_and_no_vendor_buttons()
    {
        Browser.SkipWithoutChromium();
        var screenshot = Browser.Screenshot("reference.png");
        await Browser.RunScriptAsync("reference-test.mjs", [server.BaseAddress.ToString().TrimEnd('/'), screenshot], null, Ct);
    }

    [GeneratedRegex("^[a-z][A-Za-z]+$")]
    private static partial Regex ReadableId();

    [GeneratedRegex("^(GET|POST|PUT|PATCH|DELETE)_")]
    private static partial Regex GeneratedName();

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex("https?://", RegexOptions.IgnoreCase)]
    private static partial Regex AbsoluteUrl();

    [GeneratedRegex("\"agent\":\\{\"disabled\":true")]
    private static partial Regex AgentDisabled();
}
