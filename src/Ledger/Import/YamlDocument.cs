using Ledger.Domain.Recording;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ledger.Import;

/// <summary>Reads YAML (files and request bodies) into the input tree every write is decided on.</summary>
public static class YamlDocument
{
    /// <summary>Loads a file's single YAML mapping, or reports why it cannot be read.</summary>
    public static Fields? Load(string displayName, string text, ICollection<InputError> errors) =>
        Parse(displayName, text, errors) is { } root ? new Fields(displayName, root, errors) : null;

    public static InputMap? Parse(string displayName, string text, ICollection<InputError> errors)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                errors.Add(new InputError(displayName, 1, "(file)", "expected a YAML mapping at the top level"));
                return null;
            }

            return (InputMap)ToInput(root);
        }
        catch (YamlException e)
        {
            errors.Add(new InputError(displayName, (int)e.Start.Line, "(syntax)", e.InnerException?.Message ?? e.Message));
            return null;
        }
    }

    private static Input ToInput(YamlNode node) => node switch
    {
        YamlMappingNode map => new InputMap(
            [.. map.Children.Select(c => new InputEntry(c.Key is YamlScalarNode { Value: { } key } ? key : c.Key.ToString(), ToInput(c.Value), (int)c.Key.Start.Line))],
            (int)map.Start.Line),
        YamlSequenceNode list => new InputList([.. list.Children.Select(ToInput)], (int)list.Start.Line),
        YamlScalarNode scalar => new InputScalar(IsNull(scalar) ? null : scalar.Value, (int)scalar.Start.Line),
        _ => new InputScalar(null, (int)node.Start.Line),
    };

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Value is null || scalar.Style == ScalarStyle.Plain && scalar.Value is "~" or "null" or "Null" or "NULL" or "";
}
