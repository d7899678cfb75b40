using System.Globalization;

namespace Ledger.Domain.Recording;

/// <summary>
/// Reads fields from a proposed mapping and records every problem with its file, line and field, so an input is
/// reported in full rather than one error at a time. A report is read through its development's mapping too
/// (<see cref="Overlay"/>): what the report does not say, its development may.
/// </summary>
public sealed class Fields
{
    private readonly IReadOnlyList<InputMap> _layers;

    public Fields(string file, InputMap map, ICollection<InputError> errors, string path = "")
        : this(file, [map], errors, path)
    {
    }

    private Fields(string file, IReadOnlyList<InputMap> layers, ICollection<InputError> errors, string path)
    {
        File = file;
        _layers = layers;
        Errors = errors;
        Path = path;
    }

    public string File { get; }

    public string Path { get; }

    public ICollection<InputError> Errors { get; }

    /// <summary>The innermost mapping: the entry being read.</summary>
    public InputMap Map => _layers[^1];

    /// <summary>The line of the innermost layer, where the entry being read starts.</summary>
    public int Line => _layers[^1].Line;

    /// <summary>Fields of <paramref name="inner"/> override those of this mapping (a report over its development).</summary>
    public Fields Overlay(InputMap inner, string path) => new(File, [.. _layers, inner], Errors, path);

    public void Error(string field, string message, Input? at = null) =>
        Errors.Add(new InputError(File, at?.Line ?? Line, Qualified(field), message));

    public string? Optional(string key)
    {
        var node = Find(key);
        switch (node)
        {
            case null:
                return null;
            case InputScalar scalar:
                if (string.IsNullOrWhiteSpace(scalar.Value))
                {
                    return null;
                }

                if (TextRules.Problem(scalar.Value) is { } problem)
                {
                    Error(key, problem, node);
                    return null;
                }

                return scalar.Value;
            default:
                Error(key, "expected a single value", node);
                return null;
        }
    }

    public string Required(string key)
    {
        var node = Find(key);
        var value = Optional(key);
        if (value is null && (node is null || node is InputScalar { Value: var given } && string.IsNullOrWhiteSpace(given)))
        {
            Error(key, "is required");
        }

        return value ?? "";
    }

    /// <summary>A whole number, digits only (a thousands separator in the right places allowed); <paramref name="min"/> bounds it.</summary>
    public int? OptionalInt(string key, int min = int.MinValue)
    {
        var text = Optional(key);
        if (text is null)
        {
            return null;
        }

        if (Numbers.TryParseWhole(text, out var value) && value >= min)
        {
            return value;
        }

        Error(key, min == 0 ? $"'{Shorten(text)}' is not a whole number of zero or more" : $"'{Shorten(text)}' is not a whole number", Find(key));
        return null;
    }

    public IReadOnlyList<string> StringList(string key)
    {
        var node = Find(key);
        switch (node)
        {
            case null:
                return [];
            case InputList list:
                var values = new List<string>();
                foreach (var item in list.Items)
                {
                    if (item is InputScalar { Value: { Length: > 0 } value } && TextRules.Problem(value) is null)
                    {
                        values.Add(value);
                    }
                    else
                    {
                        Error(key, item is InputScalar { Value: { } bad } && TextRules.Problem(bad) is { } problem ? problem : "expected a list of single values", item);
                    }
                }

                return values;
            case InputScalar { Value: { Length: > 0 } single }:
                if (TextRules.Problem(single) is { } singleProblem)
                {
                    Error(key, singleProblem, node);
                    return [];
                }

                return [single];
            case InputScalar:
                return [];
            default:
                Error(key, "expected a list", node);
                return [];
        }
    }

    public IReadOnlyList<Fields> Mappings(string key)
    {
        var node = Find(key);
        switch (node)
        {
            case null:
            case InputScalar { Value: null }:
                return [];
            case InputList list:
                var mappings = new List<Fields>();
                var index = 0;
                foreach (var item in list.Items)
                {
                    if (item is InputMap map)
                    {
                        mappings.Add(new Fields(File, [map], Errors, $"{Qualified(key)}[{index}]"));
                    }
                    else
                    {
                        Error($"{key}[{index}]", "expected a mapping", item);
                    }

                    index++;
                }

                return mappings;
            default:
                Error(key, "expected a list", node);
                return [];
        }
    }

    public Fields? Mapping(string key)
    {
        var node = Find(key);
        switch (node)
        {
            case null:
                return null;
            case InputMap map:
                return new Fields(File, [map], Errors, Qualified(key));
            default:
                Error(key, "expected a mapping", node);
                return null;
        }
    }

    public Input? NodeOf(string key) => Find(key);

    public T? Enum<T>(string key, bool required)
        where T : struct, System.Enum
    {
        var text = required ? Required(key) : Optional(key);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var pascal = string.Concat(text.Split('-').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));
        if (!pascal.Any(char.IsDigit) && System.Enum.TryParse<T>(pascal, ignoreCase: true, out var value) && System.Enum.IsDefined(value))
        {
            return value;
        }

        var allowed = string.Join(", ", System.Enum.GetNames<T>().Select(Tracks.Naming.Kebab));
        Error(key, $"'{Shorten(text)}' is not one of: {allowed}", Find(key));
        return null;
    }

    /// <summary>Keys present in the innermost layer that the reader does not know: almost always a typo.</summary>
    public void RejectUnknown(IReadOnlySet<string> known)
    {
        foreach (var entry in _layers[^1].Entries)
        {
            if (!known.Contains(entry.Key))
            {
                Errors.Add(new InputError(File, entry.KeyLine, Qualified(entry.Key), "is not a known field here"));
            }
        }
    }

    /// <summary>The key's entry in the innermost layer that has it.</summary>
    public InputEntry? EntryOf(string key)
    {
        for (var i = _layers.Count - 1; i >= 0; i--)
        {
            foreach (var entry in _layers[i].Entries)
            {
                if (entry.Key == key)
                {
                    return entry;
                }
            }
        }

        return null;
    }

    public string Qualified(string field) => Path.Length == 0 ? field : $"{Path}.{field}";

    public static string Shorten(string s) => s.Length <= 80 ? s : string.Concat(s.AsSpan(0, 77), "...");

    private Input? Find(string key) => EntryOf(key)?.Value;
}

/// <summary>What a text value may not hold: characters that are invisible, or that reorder what a reader sees.</summary>
public static class TextRules
{
    public static string? Problem(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return "contains half of a surrogate pair (not valid Unicode text)";
            }

            if (c == '\0')
            {
                return "contains a NUL character";
            }

            if (char.IsControl(c) && c is not '\n' and not '\r' and not '\t')
            {
                return $"contains the control character U+{(int)c:X4}";
            }

            // Bidirectional overrides and isolates can make a quote read differently from the characters stored.
            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                return $"contains the bidirectional formatting character U+{(int)c:X4}";
            }
        }

        return null;
    }
}

public static class Numbers
{
    /// <summary>
    /// Digits, optionally grouped by thousands with commas ("1,200", "6,057"); anything else ("1,2,3", "12,00", "-1",
    /// "1e3") is not a count a source gives.
    /// </summary>
    public static bool TryParseWhole(string text, out int value)
    {
        value = 0;
        var s = text.Trim();
        var negative = s.StartsWith('-');
        if (negative)
        {
            s = s[1..];
        }

        if (s.Length == 0 || !s.All(c => char.IsAsciiDigit(c) || c == ','))
        {
            return false;
        }

        if (s.Contains(',', StringComparison.Ordinal))
        {
            var groups = s.Split(',');
            if (groups[0].Length is 0 or > 3 || groups.Skip(1).Any(g => g.Length != 3))
            {
                return false;
            }
        }

        if (!int.TryParse(s.Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        value = negative ? -value : value;
        return true;
    }
}
