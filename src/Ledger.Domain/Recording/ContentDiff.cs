using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Ledger.Domain.Developments;

namespace Ledger.Domain.Recording;

/// <summary>What differs between two codings of one report, field by field.</summary>
public static class ContentDiff
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DevelopmentKinds.DeclarePolymorphism } },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IReadOnlyList<FieldChange> Between(Development before, Development after)
    {
        var was = Flatten(before);
        var now = Flatten(after);
        return [.. was.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Where(k => was.GetValueOrDefault(k) != now.GetValueOrDefault(k))
            .Select(k => new FieldChange(k, was.GetValueOrDefault(k), now.GetValueOrDefault(k)))];
    }

    private static Dictionary<string, string> Flatten(Development development)
    {
        var flat = new Dictionary<string, string>(StringComparer.Ordinal);
        using var json = JsonSerializer.SerializeToDocument<Development>(development, Options);
        Walk(json.RootElement, "", flat);
        return flat;
    }

    private static void Walk(JsonElement element, string path, Dictionary<string, string> flat)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = property.Name == "$type" ? "kind" : property.Name;
                    Walk(property.Value, path.Length == 0 ? name : $"{path}.{name}", flat);
                }

                break;
            case JsonValueKind.Array:
                // Lists are compared whole: a changed item and a moved item are both a change to the list.
                flat[path] = element.GetRawText();
                break;
            default:
                flat[path] = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
                break;
        }
    }
}
