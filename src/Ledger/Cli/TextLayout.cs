using Ledger.Domain.Tracks;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Ledger.Cli;

/// <summary>
/// How the read commands lay text out in a terminal: headings that wrap instead of being cut, field blocks whose
/// long paths break only after a dot, summaries shortened at a word, enum names as words, and a visible quote marker
/// where there is no colour to highlight with. Spectre.Console wraps paragraphs at spaces; these helpers keep every
/// token (a date, a file name, a development key) short enough for it never to split one.
/// </summary>
public static class TextLayout
{
    /// <summary>How far <see cref="Block"/> indents a field's value and sources under its path.</summary>
    public const int Indent = 2;

    /// <summary>Whether the console can highlight: false when output goes to a file or a pipe, or NO_COLOR is set.</summary>
    public static bool Highlights(IAnsiConsole console) =>
        console.Profile.Capabilities.Ansi && console.Profile.Capabilities.ColorSystem != ColorSystem.NoColors;

    /// <summary>
    /// A heading with a rule under it. A rule cuts a title longer than the line with an ellipsis; a long heading is
    /// written as a wrapped paragraph above a plain rule instead, so it is never cut.
    /// </summary>
    public static void Heading(IAnsiConsole console, string markup)
    {
        var plain = Markup.Remove(markup);
        if (plain.Length + 6 <= console.Profile.Width)
        {
            console.Write(new Rule(markup).LeftJustified());
            return;
        }

        console.Write(new Markup(markup + "\n"));
        console.Write(new Rule());
    }

    /// <summary>
    /// One field as a block: its path in bold (broken after a dot where it is longer than the line), then its value
    /// and its sources indented beneath, each wrapped at spaces.
    /// </summary>
    public static IRenderable Block(string path, string valueMarkup, string? sources, int width)
    {
        var lines = new List<IRenderable>
        {
            new Markup(string.Join("\n", BreakAfterDots(path, width).Select(p => $"[bold]{Markup.Escape(p)}[/]"))),
            new Padder(new Markup(valueMarkup), new Padding(Indent, 0, 0, 0)) { Expand = false },
        };
        if (!string.IsNullOrEmpty(sources))
        {
            lines.Add(new Padder(new Markup($"[grey]sources: {Markup.Escape(sources)}[/]"), new Padding(Indent, 0, 0, 0)) { Expand = false });
        }

        return new Rows(lines);
    }

    /// <summary>
    /// A dotted path (<c>commitments.round-2-bodies-agreement.reported-totals.…</c>) in lines of at most
    /// <paramref name="width"/> characters, broken only after a dot; a part longer than the line stands alone.
    /// </summary>
    public static IReadOnlyList<string> BreakAfterDots(string path, int width)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var part in SplitKeepingDots(path))
        {
            if (current.Length > 0 && current.Length + part.Length > width)
            {
                lines.Add(current);
                current = "";
            }

            current += part;
        }

        if (current.Length > 0)
        {
            lines.Add(current);
        }

        return lines;
    }

    /// <summary>At most <paramref name="max"/> characters, cut at the last space that fits and marked with an ellipsis.</summary>
    public static string Shorten(string text, int max)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (flat.Length <= max)
        {
            return flat;
        }

        var cut = flat.LastIndexOf(' ', Math.Max(0, max - 1));
        return (cut > 0 ? flat[..cut].TrimEnd(',', ';', ':', ' ') : flat[..Math.Max(0, max - 1)]) + "…";
    }

    /// <summary>An enum name or kebab-case kind as people read it: <c>UnderConsideration</c> → <c>under consideration</c>.</summary>
    public static string Words(string name) => Naming.Words(name);

    /// <summary>A phase as words.</summary>
    public static string Words(Phase phase) => Naming.Words(phase.ToString());

    /// <summary>
    /// A sentence with the quoted part marked: highlighted where the console has colour, between «» where it has
    /// none (a file, a pipe), so the quote's place in its sentence still shows.
    /// </summary>
    public static string MarkQuote(string sentence, int start, int length, bool highlight)
    {
        start = Math.Clamp(start, 0, sentence.Length);
        length = Math.Clamp(length, 0, sentence.Length - start);
        var (open, close) = highlight ? ("[black on yellow]", "[/]") : ("«", "»");
        return Markup.Escape(sentence[..start]) + open + Markup.Escape(sentence.Substring(start, length)) + close + Markup.Escape(sentence[(start + length)..]);
    }

    private static IEnumerable<string> SplitKeepingDots(string path)
    {
        var start = 0;
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '.')
            {
                yield return path[start..(i + 1)];
                start = i + 1;
            }
        }

        if (start < path.Length)
        {
            yield return path[start..];
        }
    }
}
