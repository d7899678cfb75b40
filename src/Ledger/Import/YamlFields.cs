using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Ledger.Import;

/// <summary>A problem in an input file, located to the line and field.</summary>
public sealed record ImportError(string File, int Line, string Field, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Field}: {Message}";
}

/// <summary>
/// Reads fields from a YAML mapping and records every problem with its file, line and field, so a file is
/// reported in full rather than one error at a time.
/// </summary>
public sealed class YamlFields
{
    private readonly IReadOnlyList<YamlMappingNode> _layers;

    public YamlFields(string file, YamlMappingNode node, ICollection<ImportError> errors, string path = "")
        : this(file, [node], errors, path)
    {
    }

    private YamlFields(string file, IReadOnlyList<YamlMappingNode> layers, ICollection<ImportError> errors, string path)
    {
        File = file;
        _layers = layers;
        Errors = errors;
        Path = path;
    }

    public string File { get; }

    public string Path { get; }

    public ICollection<ImportError> Errors { get; }

    /// <summary>The innermost mapping: the entry being read.</summary>
    public YamlMappingNode Node => _layers[^1];

    /// <summary>The line of the innermost layer, where the entry being read starts.</summary>
    public int Line => (int)_layers[^1].Start.Line;

    /// <summary>Fields of <paramref name="inner"/> override those of this mapping (a report over its development).</summary>
    public YamlFields Overlay(YamlMappingNode inner, string path) => new(File, [.. _layers, inner], Errors, path);

    public bool Has(string key) => Find(key) is not null;

    public void Error(string field, string message, YamlNode? at = null) =>
        Errors.Add(new ImportError(File, at is null ? Line : (int)at.Start.Line, Qualified(field), message));

    public string? Optional(string key)
    {
        var node = Find(key);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode scalar:
                return string.IsNullOrWhiteSpace(scalar.Value) || scalar.Value is "~" or "null" && scalar.Style == YamlDotNet.Core.ScalarStyle.Plain
                    ? null
                    : scalar.Value;
            default:
                Error(key, "expected a single value", node);
                return null;
        }
    }

    public string Required(string key)
    {
        var value = Optional(key);
        if (value is null && Find(key) is null or YamlScalarNode)
        {
            Error(key, "is required");
        }

        return value ?? "";
    }

    public int? OptionalInt(string key)
    {
        var text = Optional(key);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(key, $"'{text}' is not a whole number", Find(key));
        return null;
    }

    public IReadOnlyList<string> StringList(string key)
    {
        var node = Find(key);
        switch (node)
        {
            case null:
                return [];
            case YamlSequenceNode sequence:
                var values = new List<string>();
                foreach (var item in sequence)
                {
                    if (item is YamlScalarNode { Value: { Length: > 0 } value })
                    {
                        values.Add(value);
                    }
                    else
                    {
                        Error(key, "expected a list of single values", item);
                    }
                }

                return values;
            case YamlScalarNode { Value: { Length: > 0 } single }:
                return [single];
            default:
                Error(key, "expected a list", node);
                return [];
        }
    }

    public IReadOnlyList<YamlFields> Mappings(string key)
    {
        var node = Find(key);
        switch (node)
        {
            case null:
                return [];
            case YamlSequenceNode sequence:
                var list = new List<YamlFields>();
                var index = 0;
                foreach (var item in sequence)
                {
                    if (item is YamlMappingNode mapping)
                    {
                        list.Add(new YamlFields(File, [mapping], Errors, $"{Qualified(key)}[{index}]"));
                    }
                    else
                    {
                        Error(key, "expected a list of mappings", item);
                    }

                    index++;
                }

                return list;
            default:
                Error(key, "expected a list", node);
                return [];
        }
    }

    public YamlFields? Mapping(string key)
    {
        var node = Find(key);
        switch (node)
        {
            case null:
                return null;
            case YamlMappingNode mapping:
                return new YamlFields(File, [mapping], Errors, Qualified(key));
            default:
                Error(key, "expected a mapping", node);
                return null;
        }
    }

    public YamlNode? NodeOf(string key) => Find(key);

    public T? Enum<T>(string key, bool required)
        where T : struct, System.Enum
    {
        var text = required ? Required(key) : Optional(key);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var pascal = string.Concat(text.Split('-').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));
        if (System.Enum.TryParse<T>(pascal, ignoreCase: true, out var value) && System.Enum.IsDefined(value))
        {
            return value;
        }

        var allowed = string.Join(", ", System.Enum.GetNames<T>().Select(Domain.Tracks.Naming.Kebab));
        Error(key, $"'{text}' is not one of: {allowed}", Find(key));
        return null;
    }

    /// <summary>Keys present in the innermost layer that the reader does not know: almost always a typo.</summary>
    public void RejectUnknown(IReadOnlySet<string> known)
    {
        foreach (var (key, _) in _layers[^1].Children)
        {
            if (key is YamlScalarNode { Value: { } name } && !known.Contains(name))
            {
                Error(name, "is not a known field here", key);
            }
        }
    }

    private YamlNode? Find(string key)
    {
        for (var i = _layers.Count - 1; i >= 0; i--)
        {
            if (_layers[i].Children.TryGetValue(new YamlScalarNode(key), out var node))
            {
                return node;
            }
        }

        return null;
    }

    private string Qualified(string field) => Path.Length == 0 ? field : $"{Path}.{field}";
}
