using System.Globalization;
using System.Text;
using Ledger.Audit;
using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Provenance;
using Ledger.Import;
using Ledger.Sources;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ledger.Export;

/// <summary>What the store holds cannot be written as files the importer would read back the same.</summary>
public sealed class ExportException(string message) : Exception(message);

/// <summary>
/// Writes what the store holds back as the files the importer reads (<c>events/&lt;negotiation&gt;/*.yaml</c>, and the
/// sources as <c>seeds/</c>): importing them into an empty ledger records the very same claims. Each report is written
/// whole, with every field of its own, so nothing depends on which development declared a default.
/// </summary>
public static class EventFiles
{
    /// <summary>Reports per development file: a file stays well under what the importer reads in one document.</summary>
    public const int ReportsPerFile = 500;

    public static IReadOnlyList<string> Write(ExportedLedger ledger, string eventsFolder)
    {
        var folder = Path.Combine(eventsFolder, ledger.Negotiation.Id);
        Directory.CreateDirectory(folder);
        // An earlier, longer export would leave files this one does not overwrite, and they would be imported too.
        foreach (var stale in Directory.EnumerateFiles(folder, "developments-*.yaml"))
        {
            File.Delete(stale);
        }

        var written = new List<string>();
        var registration = Path.Combine(folder, NegotiationFile.FileName);
        File.WriteAllText(registration, Yaml(NegotiationDocument(ledger.Negotiation)), Utf8);
        written.Add(registration);

        var byId = ledger.Claims.ToDictionary(c => c.Id);
        var kindFields = ledger.Claims.ToDictionary(c => c.Id, c => DevelopmentKinds.Write(c.Development, id => Reference(id, byId)));
        // Files are imported in name order, and a report that names another (an answer its proposal, an exchange its
        // agreement, a correction its report) must find it recorded: so reports that name nothing come first.
        var ordered = ledger.Claims.OrderBy(c => kindFields[c.Id].ReferenceDepth).ToList();
        var chunks = ordered.Chunk(ReportsPerFile).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"developments-{i + 1:D3}.yaml"));
            File.WriteAllText(path, Yaml(DevelopmentsDocument(ledger.Negotiation.Id, chunks[i], kindFields)), Utf8);
            written.Add(path);
        }

        return written;
    }

    /// <summary>Writes each source as <c>&lt;id&gt;.txt</c> (its exact text) and <c>&lt;id&gt;.yaml</c> (its metadata).</summary>
    public static IReadOnlyList<string> WriteSources(IEnumerable<Source> sources, string seedsFolder)
    {
        Directory.CreateDirectory(seedsFolder);
        var written = new List<string>();
        foreach (var source in sources)
        {
            var text = Path.Combine(seedsFolder, source.SourceId + ".txt");
            File.WriteAllText(text, source.Text, Utf8);
            var metadata = new YamlMappingNode();
            Add(metadata, "outlet", source.Outlet);
            Add(metadata, "title", source.Title);
            Add(metadata, "url", source.Url);
            Add(metadata, "published", source.Published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Add(metadata, "published-as-printed", source.PublishedAsPrinted);
            Add(metadata, "published-note", source.PublishedNote);
            Add(metadata, "language", source.Language);
            Add(metadata, "translation-note", source.TranslationNote);
            File.WriteAllText(Path.ChangeExtension(text, ".yaml"), Yaml(metadata), Utf8);
            written.Add(text);
        }

        return written;
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private static YamlMappingNode NegotiationDocument(Negotiation negotiation)
    {
        var root = new YamlMappingNode();
        Add(root, "negotiation", negotiation.Id);
        Add(root, "title", negotiation.Title);
        Add(root, "description", negotiation.Description);
        root.Add("parties", new YamlSequenceNode(negotiation.Parties.Select(p => Map(("id", p.Id), ("name", p.Name), ("role", p.Role)))));
        if (negotiation.Categories.Count > 0)
        {
            root.Add("categories", new YamlSequenceNode(negotiation.Categories.Select(c => Map(("id", c.Id), ("name", c.Name)))));
        }

        var actors = new YamlSequenceNode();
        foreach (var actor in negotiation.Actors)
        {
            var node = Map(("id", actor.Id), ("name", actor.Name), ("party", actor.PartyId), ("role", actor.Role));
            AddList(node, "aliases", actor.Aliases);
            var roles = negotiation.Roles.Where(r => r.ActorId == actor.Id).ToList();
            if (roles.Count > 0)
            {
                node.Add("roles", new YamlSequenceNode(roles.Select(r => Map(
                    ("role", r.Role),
                    ("party", r.PartyId == actor.PartyId ? null : r.PartyId),
                    ("title", r.Title),
                    ("from", r.From?.ToString()),
                    ("to", r.To?.ToString()),
                    ("source", r.SourceId),
                    ("quote", r.Quote)))));
            }

            actors.Add(node);
        }

        root.Add("actors", actors);
        root.Add("tracks", new YamlSequenceNode(negotiation.Tracks.Select(t => Map(("id", t.Id), ("title", t.Title), ("description", t.Description)))));
        return root;
    }

    private static YamlMappingNode DevelopmentsDocument(string negotiationId, IEnumerable<ClaimRecord> claims, Dictionary<Guid, KindWriter> kindFields)
    {
        var root = new YamlMappingNode();
        Add(root, "negotiation", negotiationId);
        var developments = new YamlSequenceNode();
        // One entry per development with only its key and track; each report carries all of its own fields.
        foreach (var development in claims.GroupBy(c => (c.DevelopmentKey, c.TrackId)))
        {
            var entry = Map(("key", development.Key.DevelopmentKey), ("track", development.Key.TrackId));
            entry.Add("reports", new YamlSequenceNode(development.Select(c => Report(c.Development, kindFields[c.Id].Fields))));
            developments.Add(entry);
        }

        root.Add("developments", developments);
        return root;
    }

    private static YamlMappingNode Report(Development development, IReadOnlyList<KindField> kindFields)
    {
        var claim = development.Claim;
        var provenance = claim.Provenance;
        var node = Map(
            ("kind", development.Kind),
            ("occurred", provenance.Occurred.Precision == DatePrecision.Undated ? "undated" : provenance.Occurred.ToString()),
            ("source", provenance.SourceId),
            ("quote", provenance.Quote.Exact),
            ("prefix", provenance.Quote.Prefix),
            ("suffix", provenance.Quote.Suffix));
        AddList(node, "also-tracks", claim.AlsoTracks);
        if (provenance.SaidBy is { } said)
        {
            if (said.Role is not null)
            {
                Add(node, "said-by-role", said.Role);
                Add(node, "said-by-party", said.Party);
            }
            else if (said.Actor is not null)
            {
                Add(node, "said-by", said.AsNamed ?? said.Actor);
                Add(node, "said-by-party", said.Party);
            }
            else
            {
                Add(node, "said-by-party", said.Party);
            }

            Add(node, "role-as-given", said.RoleAsGiven);
            Add(node, "via", said.Via);
            Add(node, "asserted-by", said.AssertedBy);
        }

        Add(node, "note", claim.Note);
        if (claim.Inferred.Count > 0)
        {
            var inferred = new YamlMappingNode();
            foreach (var (field, reasoning) in claim.Inferred.OrderBy(i => i.Key, StringComparer.Ordinal))
            {
                Add(inferred, field, reasoning);
            }

            node.Add("inferred", inferred);
        }

        AddKindFields(node, kindFields);
        return node;
    }

    /// <summary>An earlier report named as the importer finds it: its development, source and exact quote.</summary>
    private static ReportReference Reference(Guid claimId, Dictionary<Guid, ClaimRecord> byId) =>
        byId.TryGetValue(claimId, out var target)
            ? new ReportReference(target.DevelopmentKey, target.SourceId, target.Development.Claim.Provenance.Quote.Exact)
            : throw new ExportException($"a correction or retraction names report {claimId}, which the store no longer holds (withdrawn?): its file could not name it; withdraw the correction too, or record the report again");

    private static void AddKindFields(YamlMappingNode node, IReadOnlyList<KindField> fields)
    {
        foreach (var field in fields)
        {
            node.Add(field.Name, Node(field.Value));
        }
    }

    private static YamlNode Node(FieldValue value) => value switch
    {
        FieldText text => Scalar(text.Text),
        FieldTexts texts => new YamlSequenceNode(texts.Items.Select(Scalar)),
        FieldMapping mapping => Mapping(mapping),
        FieldMappings mappings => new YamlSequenceNode(mappings.Items.Select(Mapping)),
        _ => throw new ExportException($"a field value of type {value.GetType().Name} has no form in event files"),
    };

    private static YamlMappingNode Mapping(FieldMapping mapping)
    {
        var node = new YamlMappingNode();
        AddKindFields(node, mapping.Fields);
        return node;
    }

    private static YamlMappingNode Map(params (string Key, string? Value)[] entries)
    {
        var node = new YamlMappingNode();
        foreach (var (key, value) in entries)
        {
            Add(node, key, value);
        }

        return node;
    }

    private static void Add(YamlMappingNode node, string key, string? value)
    {
        if (value is not null)
        {
            node.Add(key, Scalar(value));
        }
    }

    private static void AddList(YamlMappingNode node, string key, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            var list = new YamlSequenceNode(values.Select(Scalar));
            node.Add(key, list);
        }
    }

    /// <summary>
    /// Ids, dates and counts are written plain; any other text double-quoted, which keeps every character as it is
    /// (line breaks, leading spaces, a colon) and never lets a word such as "null" or "yes" read as anything but text.
    /// </summary>
    private static YamlScalarNode Scalar(string value) =>
        new(value) { Style = IsPlainSafe(value) ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted };

    private static bool IsPlainSafe(string value) =>
        value.Length is > 0 and < 200
        && value is not ("null" or "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n")
        && value.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-')
        && value[0] != '-';

    private static string Yaml(YamlNode root)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDotNet.RepresentationModel.YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // The stream ends its document with "...": a file the importer reads is one document, written without it.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text.TrimEnd('.', '\r', '\n') + "\n";
    }
}
