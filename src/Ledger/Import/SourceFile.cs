using Ledger.Infrastructure;
using Ledger.Domain.Recording;
using System.Globalization;
using System.Text;
using Ledger.Domain.Provenance;
using Ledger.Domain.Sources;

namespace Ledger.Import;

/// <summary>Reads a source from <c>seeds/</c>: its exact text and the metadata file beside it.</summary>
public static class SourceFile
{
    private static readonly HashSet<string> Known =
        ["outlet", "title", "url", "published", "published-as-printed", "published-note", "language", "translation-note"];

    public static SourceRegistered? Read(string textPath, string displayRoot, ICollection<InputError> errors)
    {
        var id = Path.GetFileNameWithoutExtension(textPath);
        var metadataPath = Path.ChangeExtension(textPath, ".yaml");
        var metadataName = Path.GetRelativePath(displayRoot, metadataPath);
        if (!File.Exists(metadataPath))
        {
            errors.Add(new InputError(Path.GetRelativePath(displayRoot, textPath), 1, "(file)", $"has no metadata file {metadataName}"));
            return null;
        }

        var bytes = File.ReadAllBytes(textPath);
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        var before = errors.Count;
        var fields = YamlDocument.Load(metadataName, File.ReadAllText(metadataPath), errors);
        if (fields is null)
        {
            return null;
        }

        fields.RejectUnknown(Known);
        var registered = Registration(fields, id, text, ContentHash.Of(bytes));
        return errors.Count == before ? registered : null;
    }

    /// <summary>
    /// The registration of a source from its metadata fields (as in <c>seeds/&lt;id&gt;.yaml</c>, or an API request),
    /// its exact text and the hash of its bytes. Problems are recorded in the fields' error list.
    /// </summary>
    public static SourceRegistered Registration(Fields fields, string id, string text, string contentHash)
    {
        var publishedText = fields.Required("published");
        DateOnly published = default;
        if (publishedText.Length > 0 && !IsoDates.TryParse(publishedText, out published))
        {
            fields.Error("published", IsoDates.NotADate(publishedText), fields.NodeOf("published"));
        }

        return new SourceRegistered(
            id,
            fields.Required("outlet"),
            fields.Required("title"),
            fields.Optional("url"),
            published,
            fields.Optional("published-as-printed"),
            fields.Optional("published-note"),
            fields.Required("language"),
            fields.Optional("translation-note"),
            contentHash,
            text);
    }
}
