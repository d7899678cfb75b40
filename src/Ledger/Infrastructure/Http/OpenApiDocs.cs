using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Wolverine.Http;

namespace Ledger.Infrastructure.Http;

/// <summary>
/// What the generated OpenAPI document cannot know by itself: the API key scheme, the shapes of the bodies the write
/// endpoints read, and the capability and summary of operations whose endpoint class does not state them.
/// </summary>
public static class OpenApiDocs
{
    private const string Scheme = "apiKey";

    private static readonly Dictionary<string, (string Description, string Example)> Bodies = new(StringComparer.Ordinal)
    {
        ["appendDevelopments"] = (
            "Developments in the shape of an event file (events/README.md), as JSON (or YAML). Optional `expected-versions: {track: version}` (or header `X-Expected-Version: track=version`) fails the request with 409 if another writer appended to the track since.",
            """
            {"negotiation": "ru-ua-istanbul-2025", "expected-versions": {"rounds": 31},
             "developments": [{"key": "fourth-round-proposal", "track": "rounds", "kind": "proposal-made", "occurred": "2025-08-01",
               "proposed-by": "ukraine", "text": "A fourth round of talks before the end of August",
               "reports": [{"source": "demo-wire-0801", "quote": "Ukraine proposed a fourth round of talks before the end of August"}]}]}
            """),
        ["registerSource"] = (
            "A source: its exact text and the metadata of seeds/<id>.yaml. The same text again is a no-op; other text under the same id is 409.",
            """
            {"id": "demo-wire-0801", "outlet": "Demo Wire", "title": "Talks resume", "published": "2025-08-01", "language": "en",
             "text": "ISTANBUL, 1 August 2025. Ukraine proposed a fourth round of talks before the end of August, officials said."}
            """),
        ["registerWebhook"] = (
            "A subscriber URL and an optional filter. Each matching development is POSTed to it with the header X-Ledger-Signature: sha256=<hex HMAC-SHA256 of the body under the secret returned here>.",
            """{"url": "https://example.org/ledger-hook", "negotiation": "ru-ua-istanbul-2025", "track": "prisoner-exchanges"}"""),
    };

    /// <summary>
    /// What every write with a body can answer besides its result, as problem details: said once here rather than in a
    /// stack of attributes on each endpoint.
    /// </summary>
    private static readonly (string Status, string Description)[] WriteProblems =
    [
        ("400", "The body is not valid: every field at fault is named with its path and line (at most 100, and how many more)."),
        ("401", "No API key, or an unknown one."),
        ("403", "The key may not write."),
        ("409", "A conflict with what the ledger holds: a stale expected version, or other text under a source's id. Nothing was recorded."),
        ("413", $"The body is larger than {RequestBody.MaxBodyBytes:N0} bytes."),
        ("415", $"The body is declared as neither JSON nor YAML; the Accept-Post header lists what is read: {RequestBody.AcceptedMediaTypes}."),
    ];

    public static OpenApiOptions Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Ledger API";
            document.Info.Description =
                "Negotiation developments as sourced claims: status with as-of and known-on, timeline, audit down to the quotes, sources with the "
                + "characters their claims cite; appends by writers with API keys; a live stream of developments (Server-Sent Events, resumable "
                + "with Last-Event-ID); webhooks. Errors are RFC 9457 problem details naming the field at fault.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A writer's API key as 'Authorization: Bearer <key>' (or 'X-Api-Key: <key>'). Writes and webhooks need one; reads are open unless the server sets Ledger:RequireKeyForReads.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] }];
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, _, _) =>
        {
            if (operation.OperationId is { } id && Bodies.TryGetValue(id, out var body))
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Description = body.Description,
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Example = JsonNode.Parse(body.Example) },
                        ["application/yaml"] = new(),
                    },
                };
                operation.Responses ??= [];
                foreach (var (status, description) in WriteProblems)
                {
                    operation.Responses.TryAdd(status, new OpenApiResponse
                    {
                        Description = description,
                        Content = new Dictionary<string, OpenApiMediaType> { [Problems.ContentType] = new() },
                    });
                }
            }

            return Task.CompletedTask;
        });
        return options;
    }
}
