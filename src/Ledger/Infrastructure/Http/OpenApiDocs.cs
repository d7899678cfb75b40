using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Wolverine.Http;

namespace Ledger.Infrastructure.Http;

/// <summary>
/// What the generated OpenAPI document cannot know by itself: the API key scheme, the shapes of the bodies the write
/// endpoints read, and the capability and summary of operations whose endpoint class does not state them.
/// </summary>
public static class OpenApiDocs
{
    private const string Scheme = "apiKey";

    /// <summary>The capabilities the reference groups operations by, in the order it shows them, with what each is for.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> Capabilities =
    [
        ("Negotiations", "The negotiations the ledger holds: their parties, mediators and tracks."),
        ("Tracks", "The status of each track (phase, positions, proposals, agreements, exchanges, totals, disputes), now or as it stood: `asOf` replays the world as of a day, `knownOn` only what had been published by then, `recordedAt` what the ledger itself showed at a moment."),
        ("Timeline", "A negotiation's developments in the order they occurred, each with its source."),
        ("Changes", "What changed between two dates: developments added, phases changed, disputes opened or settled, items that lapsed, each with its sources."),
        ("Audit", "Why the ledger says what it says: a status field down to the claims, sources and quotes behind it."),
        ("Sources", "The registered sources, each with its exact text and the characters of it that claims cite."),
        ("Recording", "Writes by a writer's key: register a source, append developments in the shape of an event file, withdraw a report coded by mistake."),
        ("Subscriptions", "A live stream of developments as they are recorded (Server-Sent Events, resumable with `Last-Event-ID`)."),
        ("Webhooks", "Developments POSTed to a subscriber's URL, signed, retried and dead-lettered; deliveries can be listed and sent again."),
        ("Export", "A negotiation's claims for analysis, as they stood on any date: CSV with ACLED-style columns, JSON Lines, or W3C Web Annotations (JSON-LD) anchored in their sources."),
        ("Keys", "The configured API keys by name and role, for an admin; never their values."),
        ("Health", "Liveness and readiness for an orchestrator: no key, no rate limit."),
    ];

    /// <summary>What each operation does beyond its summary: parameters, answers and limits a caller needs to know.</summary>
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["listNegotiations"] = "Every registered negotiation with its parties, actors and tracks, ordered by id.",
        ["getNegotiation"] = "One negotiation: its parties, mediators and tracks. 404 when no negotiation has the id.",
        ["negotiationStatus"] = "Every track's status, the JSON of `ledger status --format json`. `asOf` (yyyy-MM-dd): the world as it stood that day; `knownOn`: only reports published by then; `recordedAt` (ISO 8601 moment): what the ledger showed at that moment of recording. A date that does not parse is 400 naming the parameter.",
        ["trackStatus"] = "One track's status. For a track with more than 256 visible reports, `window` says that the lists hold the developments among its latest 256 reports, while phase, positions, totals, claim count and last change are the whole track's.",
        ["timeline"] = "Developments in the order they occurred, optionally on one `track`, as of `asOf` and as known on `knownOn`; each entry names its source and quote.",
        ["negotiationDiff"] = "Each track's status as of `from` compared with its status as of `to` (both yyyy-MM-dd, from on or before to), as known on `knownOn` (default: every report); `track` narrows it to one track. Tracks where nothing changed are left out. Each change has a kind (`added`, `changed`, `lapsed`, `dispute-opened`, `dispute-settled`, `removed`), the section and key of the item, what it read before and after, and the evidence (claim and source) behind it. A missing or malformed date, or from after to, is 400 naming the parameter.",
        ["trackHistory"] = "The track replayed as of each date one of its developments or one stage of its agreements occurred (the latest 120 dates at most; `truncated` says earlier ones were left out), on the `knownOn` axis given: its phase, what had been exchanged, and each agreement's commitment against what its completed stages add up to. 404 for an unknown negotiation or track.",
        ["exportClaims"] = "`format` is `csv` (one row per claim, ACLED-style columns: dates with their precision, actors, track, kind, counts, source, quote and its offsets), `jsonl` (one claim per line) or `jsonld` (a W3C Web Annotation collection: each claim an annotation with a TextQuoteSelector and a TextPositionSelector on its source, linked with PROV-O to the development it supports). `asOf`, `knownOn` and `track` narrow it as on the status. An unknown format, a malformed date or an unknown track is 400 naming the parameter; an unknown negotiation is 404.",
        ["listDevelopmentKinds"] = "Every kind of development `POST /api/developments` accepts, with the fields each takes beyond the common ones, from the same table the server decides by.",
        ["auditTrack"] = "A track's status fields, each followed to the events, sources and quotes behind it; `field` narrows to one field path (e.g. `phase`, `agreements.round-2-pow-exchange-agreement`), `by` to one source.",
        ["auditEvent"] = "One claim by its claim id or event id (a UUID), with its source and the quote in context. Not a UUID: 400; unknown: 404.",
        ["listSources"] = "Every registered source with its outlet, title, publication date and how many claims cite it.",
        ["getSource"] = "One source with its exact text and, for each claim citing it, the character range of the quote. 404 when no source has the id.",
        ["registerSource"] = "201 when registered; the same text again under the id: 200; other text under the id: 409. A writer's key.",
        ["appendDevelopments"] = "Decided by the same rules as an import (events/README.md): 201 with what was appended or revised, 200 when everything was already recorded. Atomic. `?strict=true` refuses a revision (400 with the difference); `X-Revision-Reason` is kept on a revision; the `Server-Timing` header gives the time of each phase. A writer's key.",
        ["withdrawReport"] = "Withdraws one report (body `reason: ...`): 201 with the withdrawal event; unknown or already withdrawn: 404; another writer's report with a writer's key: 403 (an editor's key may).",
        ["streamDevelopments"] = "Server-Sent Events: developments after `from` (or `Last-Event-ID`; `0` from the beginning, `end` only new ones), then live; optional `negotiation` and `track` filters. Each `id:` is the global sequence; a heartbeat comes every 15 s.",
        ["registerWebhook"] = "Registers a URL (a public address) with an optional negotiation and track filter. The answer holds the signing secret, shown only then. A writer's key.",
        ["listWebhooks"] = "The webhooks the key registered (an admin's key: everyone's).",
        ["webhookDeliveries"] = "Every delivery of a webhook with its attempts; `status` narrows to `pending`, `delivered` or `dead-lettered`. A webhook registered by another key is 404.",
        ["resendWebhookDelivery"] = "Queues one dead-lettered delivery again: 202. Unknown: 404; pending or delivered: 409.",
        ["resendWebhookDeadLetters"] = "Queues every dead-lettered delivery of the webhook again: 202.",
        ["unregisterWebhook"] = "Removes the webhook; deliveries still pending are not sent. 204; unknown or another key's: 404.",
        ["listKeys"] = "The configured keys by name and role (reader, writer, editor, admin), never their values. An admin's key.",
        ["liveness"] = "200 while the process runs.",
        ["readiness"] = "200 when the database answers; 503 while it is unreachable, with what the check found.",
    };

    /// <summary>Request bodies, each with an example taken from the repository's corpus (the Istanbul talks, 2025).</summary>
    private static readonly Dictionary<string, (string Description, string Example)> Bodies = new(StringComparer.Ordinal)
    {
        ["appendDevelopments"] = (
            "Developments in the shape of an event file (events/README.md), as JSON (or YAML). Optional `expected-versions: {track: version}` (or header `X-Expected-Version: track=version`) fails the request with 409 if another writer appended to the track since.",
            """
            {"negotiation": "ru-ua-istanbul-2025",
             "developments": [{"key": "round-2-pow-exchange-agreement", "track": "prisoner-exchanges", "kind": "agreement-reached", "occurred": "2025-06-02",
               "parties": ["russia", "ukraine"], "text": "Another exchange of prisoners of war, focused on the seriously wounded and the young",
               "reports": [{"source": "unn-2025-07-23", "said-by": "Rustem Umerov", "role-as-given": "Then-Minister of Defense",
                 "quote": "Then-Minister of Defense Rustem Umerov, who headed the Ukrainian delegation, reported that during the second round of negotiations, the parties agreed to carry out another exchange of prisoners of war."}]}]}
            """),
        ["registerSource"] = (
            "A source: its exact text and the metadata of seeds/<id>.yaml. The same text again is a no-op; other text under the same id is 409.",
            """
            {"id": "interfax-ukraine-2025-06-02", "outlet": "Interfax-Ukraine",
             "title": "Umerov: Russia only today hands over ‘its document’ on ceasefire, we will have a week to study it",
             "url": "https://en.interfax.com.ua/news/general/1076721.html", "published": "2025-06-02", "language": "en",
             "text": "The Russian delegation in Istanbul on Monday handed over to Ukraine its \"memorandum\" on a ceasefire, and the Ukrainian team will have a week to study it, Defense Minister Rustem Umerov said."}
            """),
        ["registerWebhook"] = (
            "A subscriber URL and an optional filter. Each matching development is POSTed to it with the header `X-Ledger-Signature: sha256=<hex HMAC-SHA256 of the body under the secret returned here>`.",
            """{"url": "https://example.org/ledger-hook", "negotiation": "ru-ua-istanbul-2025", "track": "prisoner-exchanges"}"""),
        ["withdrawReport"] = (
            "Why the report is withdrawn.",
            """{"reason": "The quote reports the first round, not the second"}"""),
    };

    /// <summary>The answer of <c>GET /api/negotiations/ru-ua-istanbul-2025/diff?from=2025-06-01&amp;to=2025-06-03&amp;track=prisoner-exchanges</c> on the corpus, the evidence of each change cut to one claim.</summary>
    private const string DiffExample = """
        {
          "negotiationId": "ru-ua-istanbul-2025",
          "title": "Russia–Ukraine direct talks in Istanbul, 2025",
          "from": "2025-06-01",
          "to": "2025-06-03",
          "tracks": [
            {
              "negotiationId": "ru-ua-istanbul-2025",
              "trackId": "prisoner-exchanges",
              "phaseBefore": "completed",
              "phaseAfter": "agreed",
              "changes": [
                {
                  "kind": "changed",
                  "section": "phase",
                  "key": "phase",
                  "was": "completed",
                  "now": "agreed",
                  "evidence": [
                    {
                      "claimId": "4a8ae7d3-e8ce-51df-a3d5-97766b2c0345",
                      "sourceId": "unn-2025-07-23",
                      "developmentKey": "round-2-pow-exchange-agreement",
                      "published": "2025-07-23"
                    }
                  ]
                },
                {
                  "kind": "added",
                  "section": "agreements",
                  "key": "round-2-pow-exchange-agreement",
                  "now": "The largest exchanges of prisoners of war (agreed at the meetings of 16 May and 2 June)",
                  "evidence": [
                    {
                      "claimId": "4a8ae7d3-e8ce-51df-a3d5-97766b2c0345",
                      "sourceId": "unn-2025-07-23",
                      "developmentKey": "round-2-pow-exchange-agreement",
                      "published": "2025-07-23"
                    }
                  ]
                }
              ],
              "phaseChanged": true
            }
          ]
        }
        """;

    /// <summary>Answers shown with an example from the corpus, by operation id and status.</summary>
    private static readonly Dictionary<string, string> ResponseExamples = new(StringComparer.Ordinal)
    {
        ["negotiationDiff"] = DiffExample,
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
                "Negotiation developments as sourced claims: status with as-of and known-on, timeline, what changed between two dates, audit down to the quotes, sources with the "
                + "characters their claims cite; appends by writers with API keys; a live stream of developments (Server-Sent Events, resumable "
                + "with Last-Event-ID); webhooks. Errors are RFC 9457 problem details naming the field at fault. Examples are from the repository's corpus, the Istanbul talks of 2025.";
            document.Tags = new HashSet<OpenApiTag>(Capabilities.Select(c => new OpenApiTag { Name = c.Name, Description = c.Description }));
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            // The reference renders descriptions as Markdown, where a bare <key> is an HTML tag and vanishes: code spans keep it.
            document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key, sent as `Authorization: Bearer <key>` or `X-Api-Key: <key>`. Writes and webhooks need a writer's key; reads are open unless the server sets `Ledger:RequireKeyForReads`.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] }];
            DescribeHealth(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, _, _) =>
        {
            if (operation.OperationId is not { } id)
            {
                return Task.CompletedTask;
            }

            // Without one, the generator fills the description with the route's internal name (GET_api_...).
            operation.Description = Descriptions.GetValueOrDefault(id);
            if (Bodies.TryGetValue(id, out var body))
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

            if (ResponseExamples.TryGetValue(id, out var example)
                && operation.Responses?.TryGetValue("200", out var ok) == true
                && ok.Content?.TryGetValue("application/json", out var json) == true
                && json is OpenApiMediaType media)
            {
                media.Example = JsonNode.Parse(example);
            }

            return Task.CompletedTask;
        });
        return options;
    }

    /// <summary>The health checks are middleware endpoints, which the generator does not see: described here, without a key.</summary>
    private static void DescribeHealth(OpenApiDocument document)
    {
        foreach (var (path, id, summary) in new[] { (Health.LivePath, "liveness", "Tell whether the process runs"), (Health.ReadyPath, "readiness", "Tell whether the database answers") })
        {
            var operation = new OpenApiOperation
            {
                OperationId = id,
                Summary = summary,
                Description = Descriptions[id],
                Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
                Security = [],
                Responses = new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse { Description = "Healthy: `{\"status\":\"healthy\",\"checks\":{...}}`" },
                    ["503"] = new OpenApiResponse { Description = "Unhealthy, with what each check found." },
                },
            };
            document.Paths[path] = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = operation } };
        }
    }

    /// <summary>
    /// The reference at /docs serves only what this server holds: no fonts from a CDN, no telemetry, and none of the
    /// vendor's hosted features (AI chat, MCP, the developer toolbar with its deploy and SDK buttons).
    /// </summary>
    public static void ConfigureReference(ScalarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.WithTitle("Ledger API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools()
            .WithCustomCss(":root { --scalar-font: system-ui, sans-serif; --scalar-font-code: ui-monospace, monospace; }");
    }

    /// <summary>The serializer settings of every answer (<see cref="Json.Options"/>), applied to the options the OpenAPI schemas are read from.</summary>
    public static void UseAnswerShape(System.Text.Json.JsonSerializerOptions target)
    {
        ArgumentNullException.ThrowIfNull(target);
        foreach (var converter in Json.Options.Converters)
        {
            target.Converters.Add(converter);
        }

        target.TypeInfoResolver = Json.Options.TypeInfoResolver;
        target.DefaultIgnoreCondition = Json.Options.DefaultIgnoreCondition;
    }
}
