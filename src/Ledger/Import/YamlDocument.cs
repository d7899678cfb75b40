using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ledger.Import;

public static class YamlDocument
{
    /// <summary>Loads a file's single YAML mapping, or reports why it cannot be read.</summary>
    public static YamlFields? Load(string displayName, string text, ICollection<ImportError> errors)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                errors.Add(new ImportError(displayName, 1, "(file)", "expected a YAML mapping at the top level"));
                return null;
            }

            return new YamlFields(displayName, root, errors);
        }
        catch (YamlException e)
        {
            errors.Add(new ImportError(displayName, (int)e.Start.Line, "(syntax)", e.InnerException?.Message ?? e.Message));
            return null;
        }
    }
}
