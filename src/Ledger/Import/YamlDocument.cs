using System.Globalization;
using Ledger.Domain.Recording;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Ledger.Import;

public static class YamlDocument
{
    /// <summary>
    /// The deepest nesting of mappings and sequences read. Event files need about six levels. The representation
    /// model builds nodes recursively, so a deeper stream (a few kilobytes of '[') would exhaust the stack, which
    /// .NET cannot catch: the process would end.
    /// </summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// The most aliases (<c>*name</c>) read in one document. The files use none or a handful; readers walk aliased
    /// nodes once per alias, so many aliases to aliases multiply the work (a "billion laughs").
    /// </summary>
    public const int MaxAliases = 50;

    /// <summary>
    /// The most nodes in one document, counting an aliased node once per alias. A MiB of real developments is about
    /// 60,000 nodes; the limit bounds what a few aliases can still multiply to under <see cref="MaxAliases"/>.
    /// </summary>
    public const int MaxNodes = 250_000;

    private const string Syntax = "(syntax)";

    /// <summary>Loads a file's single YAML mapping, or reports why it cannot be read.</summary>
    public static Fields? Load(string displayName, string text, ICollection<InputError> errors) =>
        Parse(displayName, text, errors) is { } root ? new Fields(displayName, root, errors) : null;

    /// <summary>Reads a file's single YAML mapping into the input tree writes are decided on.</summary>
    public static InputMap? Parse(string displayName, string text, ICollection<InputError> errors)
    {
        try
        {
            var events = Check(displayName, text, errors);
            if (events is null)
            {
                return null;
            }

            var stream = new YamlStream();
            stream.Load(new Replay(events));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                errors.Add(new InputError(displayName, 1, "(file)", "expected a YAML mapping at the top level"));
                return null;
            }

            return (InputMap)ToInput(root);
        }
        catch (YamlException e)
        {
            errors.Add(new InputError(displayName, (int)e.Start.Line, Syntax, e.InnerException?.Message ?? e.Message));
            return null;
        }
    }

    // Depth is bounded by Check, so this recursion is too.
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

    /// <summary>
    /// Reads the stream's events once with the (iterative) parser and enforces the limits before a node is built;
    /// the events are kept so the representation model is built from them without parsing the text again.
    /// </summary>
    private static List<ParsingEvent>? Check(string displayName, string text, ICollection<InputError> errors)
    {
        var events = new List<ParsingEvent>();
        var parser = new Parser(new StringReader(text));
        var documents = 0;
        var aliases = 0;
        long nodes = 0;

        // The open mappings and sequences, each with its anchor and the node count when it opened, so an anchored
        // node's size (aliases within it expanded) is known when it closes.
        var open = new Stack<(AnchorName Anchor, long NodesBefore)>();
        var sizes = new Dictionary<AnchorName, long>();

        InputError Refuse(ParsingEvent at, string message) => new(displayName, (int)at.Start.Line, Syntax, message);

        while (parser.MoveNext())
        {
            var current = parser.Current!;
            events.Add(current);
            InputError? refused = null;
            switch (current)
            {
                case DocumentStart when ++documents > 1:
                    refused = Refuse(current, "holds more than one YAML document ('---'); send one document per request or file");
                    break;
                case MappingStart or SequenceStart:
                    nodes++;
                    open.Push((((NodeEvent)current).Anchor, nodes - 1));
                    if (open.Count > MaxDepth)
                    {
                        refused = Refuse(current, $"nests mappings and lists deeper than {MaxDepth} levels");
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    var (anchor, before) = open.Pop();
                    if (!anchor.IsEmpty)
                    {
                        sizes[anchor] = nodes - before;
                    }

                    break;
                case YamlDotNet.Core.Events.Scalar scalar:
                    nodes++;
                    if (!scalar.Anchor.IsEmpty)
                    {
                        sizes[scalar.Anchor] = 1;
                    }

                    break;
                case AnchorAlias alias:
                    if (++aliases > MaxAliases)
                    {
                        refused = Refuse(current, $"uses more than {MaxAliases} aliases ('*name')");
                    }
                    else if (open.Any(o => o.Anchor.Equals(alias.Value)))
                    {
                        refused = Refuse(current, $"the alias '*{alias.Value}' is inside the node it names");
                    }
                    else
                    {
                        // An alias to an unknown anchor counts once here; the loader reports it.
                        nodes += sizes.GetValueOrDefault(alias.Value, 1);
                    }

                    break;
            }

            if (refused is null && nodes > MaxNodes)
            {
                refused = Refuse(current, string.Create(CultureInfo.InvariantCulture, $"holds more than {MaxNodes:N0} nodes (each alias counted as the node it names)"));
            }

            if (refused is not null)
            {
                errors.Add(refused);
                return null;
            }
        }

        return events;
    }

    /// <summary>Hands the checked events to the representation model.</summary>
    private sealed class Replay(List<ParsingEvent> events) : IParser
    {
        private int _next;

        public ParsingEvent? Current { get; private set; }

        public bool MoveNext()
        {
            Current = _next < events.Count ? events[_next++] : null;
            return Current is not null;
        }
    }
}
