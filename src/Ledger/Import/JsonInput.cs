using System.Text;
using System.Text.Json;
using Ledger.Domain.Recording;

namespace Ledger.Import;

/// <summary>
/// Reads a JSON body into the input tree every write is decided on, with the line of each value, through a parser
/// whose nesting depth is bounded: a body of thousands of nested brackets is refused, never recursed into.
/// </summary>
public static class JsonInput
{
    /// <summary>As deep as a YAML body may nest (<see cref="YamlDocument.MaxDepth"/>): event files need about six levels.</summary>
    public const int MaxDepth = YamlDocument.MaxDepth;

    public static InputMap? Parse(string displayName, string text, ICollection<InputError> errors)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        int LineOf(long offset)
        {
            var index = lineStarts.BinarySearch((int)offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read())
            {
                errors.Add(new InputError(displayName, 1, "(body)", "is empty: send a JSON object"));
                return null;
            }

            var root = ReadValue(ref reader, LineOf);
            if (reader.Read())
            {
                errors.Add(new InputError(displayName, LineOf(reader.TokenStartIndex), "(syntax)", "more than one JSON value in the body"));
                return null;
            }

            if (root is not InputMap map)
            {
                errors.Add(new InputError(displayName, 1, "(body)", "expected a JSON object at the top level"));
                return null;
            }

            return map;
        }
        catch (InvalidOperationException)
        {
            // A string escape that is not valid Unicode text, such as a lone surrogate ("\ud800").
            errors.Add(new InputError(displayName, LineOf(reader.TokenStartIndex), "(syntax)", "a string is not valid Unicode text (a lone surrogate escape)"));
            return null;
        }
        catch (JsonException e)
        {
            var message = reader.CurrentDepth >= MaxDepth - 1
                ? $"nests objects and arrays deeper than {MaxDepth} levels"
                : e.Message.Split(" LineNumber:", 2)[0];
            errors.Add(new InputError(displayName, (int)(e.LineNumber ?? 0) + 1, "(syntax)", message));
            return null;
        }
    }

    private static Input ReadValue(ref Utf8JsonReader reader, Func<long, int> lineOf)
    {
        var line = lineOf(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<InputEntry>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var keyLine = lineOf(reader.TokenStartIndex);
                    var key = reader.GetString()!;
                    reader.Read();
                    entries.Add(new InputEntry(key, ReadValue(ref reader, lineOf), keyLine));
                }

                return new InputMap(entries, line);
            case JsonTokenType.StartArray:
                var items = new List<Input>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, lineOf));
                }

                return new InputList(items, line);
            case JsonTokenType.String:
                return new InputScalar(reader.GetString(), line);
            case JsonTokenType.Null:
                return new InputScalar(null, line);
            default:
                // Numbers and booleans are read as the text they were written as, like YAML scalars.
                return new InputScalar(Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan), line);
        }
    }
}
