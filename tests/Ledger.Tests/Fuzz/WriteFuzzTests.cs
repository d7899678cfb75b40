using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Import;
using Ledger.Tests.Http;
using YamlDotNet.RepresentationModel;

namespace Ledger.Tests.Fuzz;

/// <summary>
/// Several hundred malformed bodies, the same ones every run (a seeded generator), against the write endpoints:
/// none may be answered 5xx, and the ledger may only change for a body answered 2xx.
/// </summary>
public sealed class WriteFuzzTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>
{
    private const int Seed = 20250303;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Malformed_bodies_are_never_a_server_error_and_only_an_accepted_body_writes()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var cases = FuzzCases.Generate(new Random(Seed)).ToList();
        Assert.True(cases.Count >= 300, $"only {cases.Count} cases");

        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var before = await server.EventCountAsync();
        foreach (var fuzz in cases)
        {
            using var content = new ByteArrayContent(fuzz.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue(fuzz.MediaType);
            using var response = await alice.PostAsync(fuzz.Route, content, Ct);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var after = await server.EventCountAsync();
            if (status >= 500)
            {
                failures.Add($"{status} for {fuzz}: {Shorten(await response.Content.ReadAsStringAsync(Ct))}");
            }
            else if (status is < 200 or >= 300 && after != before)
            {
                failures.Add($"{status} for {fuzz}, yet {after - before} events were written");
            }
            else if (fuzz.MustBeRefused && status is >= 200 and < 300)
            {
                failures.Add($"{status} (accepted, {after - before} events written) for {fuzz}");
            }

            before = after;
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(statuses.Keys.Any(s => s is >= 200 and < 300), "no body was accepted: the valid samples no longer reach the writer");
        using var alive = await alice.GetAsync("/api/negotiations", Ct);
        Assert.True(alive.IsSuccessStatusCode);
    }

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "…";
}

/// <summary>One generated request.</summary>
/// <param name="MustBeRefused">The body can never be valid, so it must be answered 4xx (not only never 5xx).</param>
public sealed record FuzzCase(string Route, string Label, byte[] Body, string MediaType = "application/json", bool MustBeRefused = false)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public override string ToString() => $"{Route} [{Label}] {(Body.Length <= 400 ? Text : Text[..400] + "…")}";
}


public static class FuzzCases
{
    /// <summary>Characters that mean something to JSON or YAML, and a few that mean nothing.</summary>
    private const string Noise = "{}[]:,\"'&*!|>-#\\ \n\t\0x1";

    /// <summary>Stands for the escape <c>\ud800</c>, which the JSON writer would otherwise replace with U+FFFD.</summary>
    private const string LoneSurrogate = "(lone surrogate)";

    private static readonly JsonNode?[] WrongValues =
    [
        null,
        JsonValue.Create(123),
        JsonValue.Create(-5),
        JsonValue.Create(true),
        JsonValue.Create(1.5e300),
        new JsonArray(),
        new JsonObject(),
        JsonValue.Create(""),
        JsonValue.Create("1,2,3"),
        JsonValue.Create("\u0000"),
        JsonValue.Create("a\u0000b\u0001\u001f\u007f"),
        JsonValue.Create(LoneSurrogate),
        JsonValue.Create(new string('x', 200_000)),
        new JsonArray(new JsonArray(new JsonArray(JsonValue.Create("deep")))),
        new JsonObject { ["unexpected"] = "mapping" },
    ];

    private static IEnumerable<(string Route, string Name, JsonNode Body)> Valid()
    {
        yield return ("/api/developments", "proposal", Node(Sample.Proposal(key: "fuzz-proposal")));
        yield return ("/api/developments", "exchange", Node(Sample.Exchange(key: "fuzz-exchange")));
        yield return ("/api/developments", "position", Node(Sample.Position("north", "a truce must come first", "2025-03-03", "wire-0303", key: "fuzz-position")));
        yield return ("/api/developments", "delegation", Node(Sample.Developments(new Dictionary<string, object?>
        {
            ["key"] = "fuzz-delegation",
            ["track"] = "prisoners",
            ["kind"] = "delegation-changed",
            ["occurred"] = "2025-03-03",
            ["party"] = "south",
            ["head"] = "Someone",
            ["size-before"] = "8",
            ["size-after"] = "10",
            ["text"] = "South changed its delegation",
            ["reports"] = new[] { new Dictionary<string, object?> { ["source"] = "wire-0303", ["quote"] = "South said it would consider the offer." } },
        })));
        yield return ("/api/sources", "source", Node(Sample.Source("fuzz-source", "HARBOUR, 5 March 2025. A source for the fuzz test.", "2025-03-05")));
    }

    private static JsonNode Node(object value) => JsonSerializer.SerializeToNode(value)!;

    private static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString().Replace(LoneSurrogate, "\\ud800", StringComparison.Ordinal));

    public static IEnumerable<FuzzCase> Generate(Random random)
    {
        var valid = Valid().ToList();
        foreach (var (route, name, body) in valid)
        {
            yield return new FuzzCase(route, $"{name}: valid", Bytes(body));
            yield return new FuzzCase(route, $"{name}: valid as YAML media type", Bytes(body), "application/yaml");
        }

        // Wrong types, huge strings, control characters and removal, for every field of every sample. Each case
        // gets its own development key, so a body the writer accepts is a new claim, not one already recorded.
        var unique = 0;
        foreach (var (route, name, body) in valid)
        {
            foreach (var path in Paths(body))
            {
                yield return new FuzzCase(route, $"{name}: {path} removed", Bytes(Replace(Keyed(body, path, ++unique), path, remove: true, null)));
                foreach (var value in WrongValues.OrderBy(_ => random.Next()).Take(4))
                {
                    var shown = value?.ToJsonString() ?? "null";
                    var label = $"{name}: {path} = {(shown.Length > 40 ? shown[..40] + "…" : shown)}";
                    var mutated = Replace(Keyed(body, path, ++unique), path, remove: false, value?.DeepClone());
                    yield return new FuzzCase(route, label, Bytes(mutated), MustBeRefused: NeverValid(Original(body, path), value, path));
                }
            }
        }

        foreach (var (route, name, body) in valid)
        {
            var text = Bytes(body);

            // Truncations.
            for (var i = 0; i < 8; i++)
            {
                var at = random.Next(1, text.Length);
                yield return new FuzzCase(route, $"{name}: truncated at {at}", text[..at], MustBeRefused: true);
            }

            // Random byte and character mutations of a valid body.
            for (var i = 0; i < 12; i++)
            {
                var mutated = text.ToArray();
                var changes = random.Next(1, 6);
                for (var c = 0; c < changes; c++)
                {
                    mutated[random.Next(mutated.Length)] = (byte)Noise[random.Next(Noise.Length)];
                }

                yield return new FuzzCase(route, $"{name}: {changes} characters changed", mutated);
            }
        }

        // Random bytes, invalid UTF-8 included.
        for (var i = 0; i < 15; i++)
        {
            var bytes = new byte[random.Next(1, 4_000)];
            random.NextBytes(bytes);
            yield return new FuzzCase(i % 2 == 0 ? "/api/developments" : "/api/sources", $"{bytes.Length} random bytes", bytes, MustBeRefused: true);
        }

        // Deep nesting at depths around and far beyond the limit.
        foreach (var depth in new[] { 10, 31, 32, 33, 100, 1_000, 20_000, 60_000 })
        {
            yield return new FuzzCase("/api/developments", $"[ nested {depth} deep", Encoding.UTF8.GetBytes(new string('[', depth)), MustBeRefused: true);
            yield return new FuzzCase("/api/developments", $"{{ nested {depth} deep", Encoding.UTF8.GetBytes("{\"negotiation\": \"harbour-talks\", \"developments\": " + string.Concat(Enumerable.Repeat("{\"a\": ", depth)) + "1" + new string('}', depth + 1)), MustBeRefused: true);
            yield return new FuzzCase("/api/sources", $"- nested {depth} deep as YAML", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("- ", Math.Min(depth, 5_000))) + "x"), "application/yaml", MustBeRefused: true);
        }

        // YAML shapes: aliases, more than one document, tags, merge keys.
        yield return new FuzzCase("/api/developments", "alias bomb", Encoding.UTF8.GetBytes("a: &a [x,x,x,x,x,x,x,x,x]\n" + string.Concat(Enumerable.Range(1, 8).Select(i => $"l{i}: &{(char)('a' + i)} [{string.Join(",", Enumerable.Repeat($"*{(char)('a' + i - 1)}", 9))}]\n"))), "application/yaml", MustBeRefused: true);
        yield return new FuzzCase("/api/developments", "two documents", Encoding.UTF8.GetBytes("negotiation: harbour-talks\n---\nnegotiation: harbour-talks\n"), "application/yaml", MustBeRefused: true);
        yield return new FuzzCase("/api/developments", "alias to itself", Encoding.UTF8.GetBytes("negotiation: &n [*n]\n"), "application/yaml", MustBeRefused: true);
        yield return new FuzzCase("/api/developments", "unknown alias", Encoding.UTF8.GetBytes("negotiation: *nowhere\n"), "application/yaml", MustBeRefused: true);
        yield return new FuzzCase("/api/developments", "tagged values", Encoding.UTF8.GetBytes("negotiation: !!binary aGVsbG8=\ndevelopments: !custom [1]\n"), "application/yaml", MustBeRefused: true);
        yield return new FuzzCase("/api/developments", "merge key", Encoding.UTF8.GetBytes("base: &b {key: x}\nnegotiation: harbour-talks\ndevelopments: [{<<: *b}]\n"), "application/yaml", MustBeRefused: true);
        yield return new FuzzCase("/api/developments", "complex key", Encoding.UTF8.GetBytes("? [a, b]\n: c\nnegotiation: harbour-talks\n"), "application/yaml", MustBeRefused: true);
        yield return new FuzzCase("/api/developments", "duplicate keys", Encoding.UTF8.GetBytes("{\"negotiation\": \"harbour-talks\", \"negotiation\": \"harbour-talks\", \"developments\": []}"));
        yield return new FuzzCase("/api/developments", "byte order mark", [0xEF, 0xBB, 0xBF, .. Bytes(valid[0].Body)]);
        yield return new FuzzCase("/api/developments", "only whitespace", Encoding.UTF8.GetBytes(" \n\t \n"), "application/json", MustBeRefused: true);
        yield return new FuzzCase("/api/developments", "only a comment", Encoding.UTF8.GetBytes("# nothing\n"), "application/yaml", MustBeRefused: true);
    }

    /// <summary>
    /// The body with its first development (or its source) under a key of its own, unless the key is what is being
    /// changed: an accepted body is then a new claim or source, not one already recorded.
    /// </summary>
    private static JsonNode Keyed(JsonNode body, string path, int unique) =>
        body["developments"] is not null
            ? path == "developments[0].key" || !path.StartsWith("developments[0]", StringComparison.Ordinal) ? body : Replace(body, "developments[0].key", remove: false, JsonValue.Create($"fuzz-case-{unique}"))
            : path == "id" ? body : Replace(body, "id", remove: false, JsonValue.Create($"fuzz-source-{unique}"));

    private static JsonNode? Original(JsonNode body, string path)
    {
        var parent = path.Contains('.', StringComparison.Ordinal) ? path[..path.LastIndexOf('.')] : "";
        return Walk(body, parent)?[path[(path.LastIndexOf('.') + 1)..]];
    }

    /// <summary>
    /// Values no field may hold: characters PostgreSQL cannot store or that no text of a report contains (NUL, any other
    /// C0 control but tab and line breaks, a lone surrogate), a list or mapping where the field is one value, and for a count or a
    /// delegation's size anything but a whole number of at least 0 written plainly.
    /// </summary>
    private static bool NeverValid(JsonNode? original, JsonNode? value, string path)
    {
        var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (text is LoneSurrogate || (text is not null && text.Any(c => c < ' ' && c is not ('\t' or '\n' or '\r'))))
        {
            return true;
        }

        if (original is JsonValue && value is JsonArray or JsonObject)
        {
            return true;
        }

        var numeric = path.EndsWith(".count", StringComparison.Ordinal) || path.EndsWith(".size-before", StringComparison.Ordinal) || path.EndsWith(".size-after", StringComparison.Ordinal);
        return numeric && value is not null && !(text ?? value.ToJsonString()).All(char.IsAsciiDigit);
    }

    /// <summary>Every property path of a body, e.g. <c>developments[0].reports[0].quote</c>.</summary>
    private static List<string> Paths(JsonNode node, string prefix = "")
    {
        var paths = new List<string>();
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
                    paths.Add(path);
                    if (value is not null)
                    {
                        paths.AddRange(Paths(value, path));
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } item)
                    {
                        paths.AddRange(Paths(item, $"{prefix}[{i}]"));
                    }
                }

                break;
        }

        return paths;
    }

    private static JsonNode? Walk(JsonNode node, string path)
    {
        JsonNode? at = node;
        foreach (var step in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = step.IndexOf('[', StringComparison.Ordinal);
            at = at?[bracket < 0 ? step : step[..bracket]];
            if (bracket >= 0)
            {
                at = at?[int.Parse(step[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)];
            }
        }

        return at;
    }

    private static JsonNode Replace(JsonNode body, string path, bool remove, JsonNode? value)
    {
        var copy = body.DeepClone();
        var parentPath = path.Contains('.', StringComparison.Ordinal) ? path[..path.LastIndexOf('.')] : "";
        var key = path[(path.LastIndexOf('.') + 1)..];
        var parent = Walk(copy, parentPath);
        var target = parent!.AsObject();
        if (remove)
        {
            target.Remove(key);
        }
        else
        {
            target[key] = value;
        }

        return copy;
    }
}
