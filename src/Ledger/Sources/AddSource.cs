using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Ledger.Domain.Provenance;
using Ledger.Domain.Recording;
using Ledger.Domain.Sources;
using Ledger.Import;
using Ledger.Infrastructure;
using Ledger.Recording;
using Marten;

namespace Ledger.Sources;

/// <summary>What is said of an article as it is added: every field may be missing until asked for.</summary>
public sealed record SourceMetadata(
    string? Id = null,
    string? Outlet = null,
    string? Title = null,
    string? Url = null,
    string? Published = null,
    string? PublishedAsPrinted = null,
    string? PublishedNote = null,
    string? Language = null,
    string? TranslationNote = null);

/// <summary>An article added: its registration, where its seeds went, and whether the store had it already.</summary>
public sealed record SourceAdded(SourceRegistered Registered, SourceOutcome Outcome, IReadOnlyList<string> SeedFiles);

/// <summary>
/// Adds an article to the ledger from its text file and metadata: the same checks and the same files as a source in
/// <c>seeds/</c> (its metadata is written as that YAML and read back by the importer's reader, so what is
/// registered is exactly what a later import of the written seeds registers).
/// </summary>
public static partial class AddSource
{
    /// <summary>The fields without which a source is not registered, with the option that gives each.</summary>
    public static readonly IReadOnlyList<(string Field, string Option)> RequiredFields =
        [("outlet", "--outlet"), ("title", "--title"), ("published", "--published"), ("language", "--language")];

    public static IReadOnlyList<string> Missing(SourceMetadata metadata) =>
        [.. RequiredFields.Where(f => string.IsNullOrWhiteSpace(Value(metadata, f.Field))).Select(f => f.Field)];

    public static string? Value(SourceMetadata metadata, string field) => field switch
    {
        "outlet" => metadata.Outlet,
        "title" => metadata.Title,
        "published" => metadata.Published,
        "language" => metadata.Language,
        _ => null,
    };

    public static SourceMetadata With(SourceMetadata metadata, string field, string value) => field switch
    {
        "outlet" => metadata with { Outlet = value },
        "title" => metadata with { Title = value },
        "published" => metadata with { Published = value },
        "language" => metadata with { Language = value },
        _ => metadata,
    };

    /// <summary>The id the seeds use when none is given: the outlet's name in lower case and the publication date.</summary>
    public static string DefaultId(SourceMetadata metadata)
    {
        var outlet = NotIdCharacters().Replace((metadata.Outlet ?? "source").Normalize(NormalizationForm.FormD).ToLowerInvariant(), "-").Trim('-');
        var cut = outlet.Length > 60 ? outlet[..60].TrimEnd('-') : outlet;
        return $"{(cut.Length == 0 ? "source" : cut)}-{metadata.Published?.Trim()}";
    }

    [GeneratedRegex("[^a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NotIdCharacters();

    [GeneratedRegex("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();

    /// <summary>The metadata as <c>seeds/&lt;id&gt;.yaml</c> has it.</summary>
    public static string MetadataYaml(SourceMetadata metadata)
    {
        var yaml = new StringBuilder();
        void Line(string key, string? value) => yaml.Append(key).Append(": ").AppendLine(value is null ? "null" : Drafting.Drafter.Quoted(value));
        Line("outlet", metadata.Outlet);
        Line("title", metadata.Title);
        Line("url", metadata.Url);
        yaml.Append("published: ").AppendLine(metadata.Published is null ? "null" : Drafting.Drafter.Quoted(metadata.Published.Trim()));
        Line("published-as-printed", metadata.PublishedAsPrinted);
        Line("published-note", metadata.PublishedNote);
        Line("language", metadata.Language);
        Line("translation-note", metadata.TranslationNote);
        return yaml.ToString();
    }

    /// <summary>Reads the text file and checks the metadata as an import would, plus what only a new source needs checked.</summary>
    public static SourceRegistered? Read(string textPath, SourceMetadata metadata, List<InputError> errors)
    {
        var name = Path.GetFileName(textPath);
        if (!File.Exists(textPath))
        {
            errors.Add(new InputError(name, 0, "(file)", "no such file"));
            return null;
        }

        var bytes = File.ReadAllBytes(textPath);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            errors.Add(new InputError(name, 0, "(text)", "is not UTF-8 text"));
            return null;
        }

        if (text.Trim().Length == 0)
        {
            errors.Add(new InputError(name, 0, "(text)", "is empty"));
        }
        else if (TextRules.Problem(text) is { } problem)
        {
            errors.Add(new InputError(name, 0, "(text)", problem));
        }

        var id = string.IsNullOrWhiteSpace(metadata.Id) ? DefaultId(metadata) : metadata.Id.Trim();
        var options = new InputError("options", 0, "", "");
        if (!Recorder.IsId(id))
        {
            errors.Add(options with { Field = "--id", Message = $"'{id}' is not an id: lower-case letters, digits and '-'" });
        }

        if (metadata.Url is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add(options with { Field = "--url", Message = $"'{url}' is not an http or https address" });
        }

        if (metadata.Language is { Length: > 0 } language && !LanguageTag().IsMatch(language))
        {
            errors.Add(options with { Field = "--language", Message = $"'{language}' is not a language code such as en, uk or ru" });
        }

        if (metadata.Published is { Length: > 0 } published
            && IsoDates.TryParse(published, out var day)
            && day > DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1))
        {
            errors.Add(options with { Field = "--published", Message = $"'{published}' is in the future" });
        }

        var fields = YamlDocument.Load($"{id}.yaml", MetadataYaml(metadata), errors);
        if (fields is null)
        {
            return null;
        }

        var before = errors.Count;
        var registered = SourceFile.Registration(fields, id, text, ContentHash.Of(bytes));
        // The metadata came from options: name the option, not a line of a file the user never wrote.
        for (var i = before; i < errors.Count; i++)
        {
            errors[i] = options with { Field = "--" + errors[i].Field, Message = errors[i].Message };
        }

        return errors.Count == 0 ? registered : null;
    }

    /// <summary>Registers the source in every database of the ledger. The same text again is nothing new; other text under its id is refused.</summary>
    public static async Task<(SourceOutcome? Outcome, string? Refusal)> RegisterAsync(IDocumentStore store, SourceRegistered registered, string writer, CancellationToken ct)
    {
        SourceOutcome? outcome = null;
        foreach (var tenant in Partitioning.Of(store).OneTenantPerDatabase)
        {
            await using var session = store.LightweightSession(tenant);
            var existing = await session.LoadAsync<Source>(StreamKeys.Source(registered.SourceId), ct);
            if (existing is not null)
            {
                if (existing.ContentHash != registered.ContentHash)
                {
                    return (null, $"source '{registered.SourceId}' is registered with different text ({existing.ContentHash}, now {registered.ContentHash}); a source's text never changes: add the new text under another --id");
                }

                outcome ??= SourceOutcome.AlreadyRegistered;
                continue;
            }

            session.LastModifiedBy = writer;
            session.Events.StartStream(StreamKeys.Source(registered.SourceId), registered);
            await session.SaveChangesAsync(ct);
            outcome = SourceOutcome.Registered;
        }

        return (outcome, null);
    }

    /// <summary>
    /// Writes <c>&lt;id&gt;.txt</c> (the bytes of the text file, unchanged) and <c>&lt;id&gt;.yaml</c>. Files already
    /// there with the same content are left; other content is never overwritten.
    /// </summary>
    public static (IReadOnlyList<string> Written, string? Refusal) WriteSeeds(string folder, string id, string textPath, SourceMetadata metadata)
    {
        Directory.CreateDirectory(folder);
        var files = new[]
        {
            (Path: Path.Combine(folder, id + ".txt"), Bytes: File.ReadAllBytes(textPath)),
            (Path: Path.Combine(folder, id + ".yaml"), Bytes: new UTF8Encoding(false).GetBytes(MetadataYaml(metadata))),
        };
        foreach (var (path, bytes) in files)
        {
            if (File.Exists(path) && !File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                return ([], $"{path} exists with other content; it is not overwritten (choose another --id, or remove it)");
            }
        }

        foreach (var (path, bytes) in files)
        {
            File.WriteAllBytes(path, bytes);
        }

        return ([.. files.Select(f => f.Path)], null);
    }
}
