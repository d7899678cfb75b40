using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using Ledger.Infrastructure;

namespace Ledger.Export;

/// <summary>The formats analysts read claims in.</summary>
public enum ExportFormat
{
    Csv,
    Jsonl,
    Jsonld,
}

/// <summary>Writes a negotiation's claims as CSV, JSON Lines or W3C Web Annotations in JSON-LD.</summary>
public static class ClaimExports
{
    public const string WebAnnotationContext = "http://www.w3.org/ns/anno.jsonld";

    public const string ProvNamespace = "http://www.w3.org/ns/prov#";

    public static IReadOnlyList<string> FormatNames { get; } = ["csv", "jsonl", "jsonld"];

    public static bool TryParse(string? text, out ExportFormat format)
    {
        format = ExportFormat.Csv;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "csv":
                return true;
            case "jsonl" or "ndjson":
                format = ExportFormat.Jsonl;
                return true;
            case "jsonld" or "json-ld":
                format = ExportFormat.Jsonld;
                return true;
            default:
                return false;
        }
    }

    public static string ContentType(ExportFormat format) => format switch
    {
        ExportFormat.Jsonl => "application/x-ndjson",
        ExportFormat.Jsonld => "application/ld+json",
        _ => "text/csv",
    };

    public static string Extension(ExportFormat format) => format switch
    {
        ExportFormat.Jsonl => "jsonl",
        ExportFormat.Jsonld => "jsonld",
        _ => "csv",
    };

    /// <summary>Writes the claims; <paramref name="baseUrl"/> is where the ledger's API answers, which the JSON-LD identifiers point into.</summary>
    public static async Task WriteAsync(ExportedLedger ledger, ExportFormat format, TextWriter writer, string baseUrl, CancellationToken ct)
    {
        switch (format)
        {
            case ExportFormat.Csv:
                await WriteCsvAsync(ledger, writer, ct);
                break;
            case ExportFormat.Jsonl:
                await WriteJsonLinesAsync(ledger, writer, ct);
                break;
            default:
                await writer.WriteAsync(AnnotationCollection(ledger, baseUrl).ToJsonString(Indented).AsMemory(), ct);
                await writer.WriteLineAsync();
                break;
        }

        await writer.FlushAsync(ct);
    }

    private static IEnumerable<ClaimRow> Rows(ExportedLedger ledger) =>
        ledger.Claims.Select(c => ClaimRow.From(c, ledger.Sources.GetValueOrDefault(c.SourceId)));

    private static async Task WriteCsvAsync(ExportedLedger ledger, TextWriter writer, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(writer, CsvWriterOptions.Default, leaveOpen: true);
        csv.WriteHeader([.. Columns.Select(c => c.Name)]);
        foreach (var row in Rows(ledger))
        {
            ct.ThrowIfCancellationRequested();
            csv.WriteRecord([.. Columns.Select(c => c.Value(row))]);
        }

        await csv.FlushAsync(ct);
    }

    /// <summary>ACLED-style column names, in the order people read a row.</summary>
    public static IReadOnlyList<(string Name, Func<ClaimRow, string?> Value)> Columns { get; } =
    [
        ("event_date", r => r.EventDate),
        ("event_date_precision", r => r.EventDatePrecision),
        ("event_date_latest", r => r.EventDateLatest),
        ("actor1", r => r.Actor1),
        ("actor2", r => r.Actor2),
        ("said_by", r => r.SaidBy),
        ("negotiation", r => r.Negotiation),
        ("track", r => r.Track),
        ("sub_event_type", r => r.SubEventType),
        ("development_key", r => r.DevelopmentKey),
        ("summary", r => r.Summary),
        ("counts", r => r.Counts),
        ("source", r => r.Source),
        ("source_outlet", r => r.SourceOutlet),
        ("source_url", r => r.SourceUrl),
        ("source_published", r => r.SourcePublished),
        ("quote", r => r.Quote),
        ("quote_start", r => r.QuoteStart.ToString(CultureInfo.InvariantCulture)),
        ("quote_end", r => r.QuoteEnd.ToString(CultureInfo.InvariantCulture)),
        ("claim_id", r => r.ClaimId.ToString()),
        ("notes", r => r.Notes),
    ];

    private static readonly JsonSerializerOptions OneLine = new(Json.Options) { WriteIndented = false };

    private static readonly JsonSerializerOptions Indented = new(Json.Options) { WriteIndented = true };

    /// <summary>One claim per line: the flat row's fields, and the development as recorded (with its kind's own fields).</summary>
    private static async Task WriteJsonLinesAsync(ExportedLedger ledger, TextWriter writer, CancellationToken ct)
    {
        foreach (var record in ledger.Claims)
        {
            ct.ThrowIfCancellationRequested();
            var line = JsonSerializer.SerializeToNode(ClaimRow.From(record, ledger.Sources.GetValueOrDefault(record.SourceId)), OneLine)!.AsObject();
            line["development"] = JsonSerializer.SerializeToNode(record.Development, OneLine);
            await writer.WriteLineAsync(line.ToJsonString(OneLine).AsMemory(), ct);
        }
    }

    /// <summary>
    /// The claims as a W3C Web Annotation collection: each claim an annotation describing and tagging the exact words of
    /// its source (a TextQuoteSelector and the TextPositionSelector it resolved to), quoted from that source and, in
    /// PROV-O terms, what the development it supports was derived from.
    /// </summary>
    public static JsonObject AnnotationCollection(ExportedLedger ledger, string baseUrl)
    {
        var api = baseUrl.TrimEnd('/') + "/api";
        var negotiation = ledger.Negotiation;
        var items = new JsonArray();
        foreach (var record in ledger.Claims)
        {
            var development = record.Development;
            var claim = development.Claim;
            var quote = claim.Provenance.Quote;
            var source = ledger.Sources.GetValueOrDefault(record.SourceId);
            var sourceId = $"{api}/sources/{Uri.EscapeDataString(record.SourceId)}";
            var selectors = new JsonArray();
            var quoteSelector = new JsonObject { ["type"] = "TextQuoteSelector", ["exact"] = quote.Exact };
            if (quote.Prefix is not null)
            {
                quoteSelector["prefix"] = quote.Prefix;
            }

            if (quote.Suffix is not null)
            {
                quoteSelector["suffix"] = quote.Suffix;
            }

            selectors.Add(quoteSelector);
            selectors.Add(new JsonObject { ["type"] = "TextPositionSelector", ["start"] = quote.Start, ["end"] = quote.End });
            var target = new JsonObject
            {
                ["type"] = "SpecificResource",
                ["source"] = new JsonObject
                {
                    ["id"] = sourceId,
                    ["type"] = "Text",
                    ["format"] = "text/plain",
                    ["dcterms:issued"] = new JsonObject
                    {
                        ["@value"] = claim.Provenance.Published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        ["@type"] = "xsd:date",
                    },
                },
                ["selector"] = selectors,
            };
            if (source is not null)
            {
                var described = target["source"]!.AsObject();
                described["label"] = source.Title;
                described["language"] = source.Language;
                if (source.Url is { } url && Uri.IsWellFormedUriString(url, UriKind.Absolute))
                {
                    described["canonical"] = url;
                }
            }

            var annotationId = $"{api}/events/{claim.ClaimId}";
            var annotation = new JsonObject
            {
                ["id"] = annotationId,
                ["type"] = "Annotation",
                ["motivation"] = new JsonArray("describing", "tagging"),
                ["body"] = new JsonArray(
                    new JsonObject { ["type"] = "TextualBody", ["purpose"] = "describing", ["value"] = development.Summary, ["format"] = "text/plain" },
                    new JsonObject { ["type"] = "TextualBody", ["purpose"] = "tagging", ["value"] = development.Kind },
                    new JsonObject
                    {
                        ["id"] = $"{api}/negotiations/{Uri.EscapeDataString(claim.NegotiationId)}/tracks/{Uri.EscapeDataString(claim.TrackId)}/audit#{Uri.EscapeDataString(claim.DevelopmentKey)}",
                        ["type"] = "prov:Entity",
                        ["label"] = claim.DevelopmentKey,
                        ["prov:wasDerivedFrom"] = new JsonObject { ["id"] = annotationId },
                    }),
                ["target"] = target,
                ["prov:wasQuotedFrom"] = new JsonObject { ["id"] = sourceId },
                ["ledger:occurred"] = claim.Provenance.Occurred.ToString(),
                ["ledger:track"] = claim.TrackId,
            };
            items.Add(annotation);
        }

        return new JsonObject
        {
            ["@context"] = new JsonArray(
                WebAnnotationContext,
                new JsonObject
                {
                    ["prov"] = ProvNamespace,
                    ["ledger"] = $"{api}/vocabulary#",
                }),
            ["id"] = $"{api}/negotiations/{Uri.EscapeDataString(negotiation.Id)}/export?format=jsonld",
            ["type"] = "AnnotationCollection",
            ["label"] = negotiation.Title,
            ["total"] = items.Count,
            ["first"] = new JsonObject
            {
                ["type"] = "AnnotationPage",
                ["startIndex"] = 0,
                ["items"] = items,
            },
        };
    }
}
