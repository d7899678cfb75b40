using System.Globalization;
using System.Text;

namespace Ledger.Domain.Provenance;

/// <summary>A passage of a source that a quote not found verbatim was probably copied from, and how the two differ.</summary>
public sealed record QuoteNearMiss(int Start, int End, string Passage, IReadOnlyList<string> Differences, bool SameWords);

/// <summary>
/// Explains why a quote is not found verbatim in its source: a quote copied by hand or from a rendered page often
/// differs from the stored text only in its typography (curly against straight quotes, one dash for another,
/// a non-breaking space, a line break), and otherwise it is usually close to one passage of it. The explanation
/// never makes the quote acceptable: a claim cites the exact characters of its source, so the analyst copies the
/// passage shown.
/// </summary>
public static class QuoteMismatch
{
    /// <summary>How much of a quote's words a passage must share to be offered as the closest passage.</summary>
    private const double CloseEnough = 0.5;

    private const int MaxDifferencesShown = 4;

    /// <summary>The passage the quote most probably stands for, or null when no passage shares enough of its words.</summary>
    public static QuoteNearMiss? Closest(string text, string quote)
    {
        if (string.IsNullOrEmpty(text) || string.IsNullOrWhiteSpace(quote))
        {
            return null;
        }

        var folded = Fold(text);
        var foldedQuote = Fold(quote);
        var at = folded.Text.IndexOf(foldedQuote.Text.Trim(), StringComparison.Ordinal);
        if (at >= 0 && foldedQuote.Text.Trim().Length > 0)
        {
            var length = foldedQuote.Text.Trim().Length;
            var (start, end) = (folded.Origin[at], folded.Origin[at + length - 1] + folded.Width[at + length - 1]);
            var passage = text[start..end];
            return new QuoteNearMiss(start, end, passage, TypographicDifferences(quote.Trim(), passage), SameWords: true);
        }

        return ClosestByWords(text, quote);
    }

    /// <summary>One sentence to append to "not found verbatim": why, and where the passage is.</summary>
    public static string Explain(string text, string quote)
    {
        if (Closest(text, quote) is not { } near)
        {
            return "no passage of the source shares most of its words: check the source id, or copy the quote from the source's text";
        }

        var passage = Shorten(near.Passage);
        if (near.SameWords)
        {
            var why = near.Differences.Count == 0 ? "it differs only in spacing at its ends" : string.Join("; ", near.Differences);
            return $"the source has the same words at characters {near.Start}–{near.End}, but {why}; copy them exactly: \"{passage}\"";
        }

        var differing = near.Differences.Count == 0 ? "" : $" ({string.Join("; ", near.Differences)})";
        return $"the closest passage is at characters {near.Start}–{near.End}{differing}: \"{passage}\"";
    }

    /// <summary>A text with typography folded away, and where each of its characters came from.</summary>
    private sealed record Folded(string Text, int[] Origin, int[] Width);

    private static Folded Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        var origin = new List<int>(text.Length);
        var width = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsSpace(c))
            {
                var from = i;
                while (i + 1 < text.Length && IsSpace(text[i + 1]))
                {
                    i++;
                }

                builder.Append(' ');
                origin.Add(from);
                width.Add(i - from + 1);
                continue;
            }

            if (c == '…')
            {
                foreach (var dot in "...")
                {
                    builder.Append(dot);
                    origin.Add(i);
                    width.Add(1);
                }

                continue;
            }

            builder.Append(Plain(c));
            origin.Add(i);
            width.Add(1);
        }

        return new Folded(builder.ToString(), [.. origin], [.. width]);
    }

    private static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is '\u00A0' or '\u202F' or '\u2007' or '\u200B';

    private static char Plain(char c) => c switch
    {
        '‘' or '’' or '‚' or '‛' or '′' or 'ʼ' or '`' or '´' => '\'',
        '“' or '”' or '„' or '‟' or '″' or '«' or '»' => '"',
        '‐' or '‑' or '‒' or '–' or '—' or '―' or '−' => '-',
        _ => c,
    };

    /// <summary>What differs between a quote and a passage with the same words, named by kind, first occurrences first.</summary>
    private static IReadOnlyList<string> TypographicDifferences(string quote, string passage)
    {
        var differences = new List<string>();
        void Note(string difference)
        {
            if (!differences.Contains(difference, StringComparer.Ordinal))
            {
                differences.Add(difference);
            }
        }

        var (q, p) = (0, 0);
        while (q < quote.Length && p < passage.Length)
        {
            var (a, b) = (quote[q], passage[p]);
            if (IsSpace(a) && IsSpace(b))
            {
                var qEnd = q;
                while (qEnd < quote.Length && IsSpace(quote[qEnd]))
                {
                    qEnd++;
                }

                var pEnd = p;
                while (pEnd < passage.Length && IsSpace(passage[pEnd]))
                {
                    pEnd++;
                }

                var (ours, theirs) = (quote[q..qEnd], passage[p..pEnd]);
                if (ours != theirs)
                {
                    Note($"the source has {DescribeSpace(theirs)} where the quote has {DescribeSpace(ours)}");
                }

                (q, p) = (qEnd, pEnd);
                continue;
            }

            if (a == '.' && b == '…' && quote.AsSpan(q).StartsWith("..."))
            {
                Note("the source has an ellipsis character (…) where the quote has three dots");
                (q, p) = (q + 3, p + 1);
                continue;
            }

            if (a != b)
            {
                Note($"the source has {Describe(b)} where the quote has {Describe(a)}");
            }

            (q, p) = (q + 1, p + 1);
        }

        return [.. differences.Take(MaxDifferencesShown)];
    }

    private static string DescribeSpace(string spaces)
    {
        if (spaces.Contains('\n') || spaces.Contains('\r'))
        {
            return "a line break";
        }

        if (spaces.Length > 1)
        {
            return $"{spaces.Length} spaces";
        }

        return spaces[0] switch
        {
            ' ' => "a space",
            '\t' => "a tab",
            '\u00A0' => "a non-breaking space (U+00A0)",
            '\u202F' => "a narrow non-breaking space (U+202F)",
            _ => $"a space U+{(int)spaces[0]:X4}",
        };
    }

    private static string Describe(char c)
    {
        var name = c switch
        {
            '\'' => "straight apostrophe",
            '"' => "straight double quote",
            '‘' => "left single quote",
            '’' => "curly apostrophe (right single quote)",
            '“' => "left double quote",
            '”' => "right double quote",
            '„' => "low double quote",
            '«' or '»' => "guillemet",
            '-' => "hyphen",
            '‐' or '‑' => "Unicode hyphen",
            '–' => "en dash",
            '—' => "em dash",
            '−' => "minus sign",
            _ => null,
        };
        var shown = $"'{c}' (U+{(int)c:X4}{(name is null ? "" : ", " + name)})";
        return shown;
    }

    private sealed record Word(string Folded, int Start, int End);

    private static List<Word> Words(string text)
    {
        var words = new List<Word>();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !IsWordChar(text[i]))
            {
                i++;
            }

            var start = i;
            // "1,000" and "2.5" are one word each: a changed number is one difference, not two.
            while (i < text.Length && (IsWordChar(text[i]) || (text[i] is ',' or '.' && i > start && char.IsDigit(text[i - 1]) && i + 1 < text.Length && char.IsDigit(text[i + 1]))))
            {
                i++;
            }

            if (i > start)
            {
                words.Add(new Word(text[start..i].ToLower(CultureInfo.InvariantCulture), start, i));
            }
        }

        return words;
    }


    /// <summary>
    /// The window of the source's words, as long as the quote, that shares most of its words in order: a longest
    /// common subsequence of words, so a changed number or a dropped word costs one word, not the passage.
    /// </summary>
    private static QuoteNearMiss? ClosestByWords(string text, string quote)
    {
        var source = Words(text);
        var wanted = Words(quote);
        if (wanted.Count == 0 || source.Count == 0)
        {
            return null;
        }

        var wantedSet = wanted.Select(w => w.Folded).ToHashSet(StringComparer.Ordinal);
        var window = Math.Min(source.Count, wanted.Count + 2);
        (int Score, int From) best = (0, 0);
        for (var from = 0; from + 1 <= source.Count; from++)
        {
            if (!wantedSet.Contains(source[from].Folded))
            {
                continue;
            }

            var to = Math.Min(source.Count, from + window);
            var score = CommonInOrder(wanted, source, from, to);
            if (score > best.Score)
            {
                best = (score, from);
            }
        }

        if (best.Score < Math.Max(1, (int)Math.Ceiling(wanted.Count * CloseEnough)))
        {
            return null;
        }

        // Trim the window to the words it shares with the quote at its ends.
        var first = best.From;
        var last = Math.Min(source.Count, best.From + window) - 1;
        while (last > first && !wantedSet.Contains(source[last].Folded))
        {
            last--;
        }

        var (start, end) = (source[first].Start, source[last].End);
        return new QuoteNearMiss(start, end, text[start..end], WordDifferences(wanted, source.GetRange(first, last - first + 1)), SameWords: false);
    }

    private static int CommonInOrder(List<Word> wanted, List<Word> source, int from, int to)
    {
        var width = to - from;
        var previous = new int[width + 1];
        var current = new int[width + 1];
        foreach (var word in wanted)
        {
            for (var j = 1; j <= width; j++)
            {
                current[j] = word.Folded == source[from + j - 1].Folded ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[width];
    }

    /// <summary>The words that differ, from a word alignment of the quote against the passage.</summary>
    private static IReadOnlyList<string> WordDifferences(List<Word> quote, List<Word> passage)
    {
        var (n, m) = (quote.Count, passage.Count);
        var table = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                table[i, j] = quote[i].Folded == passage[j].Folded ? table[i + 1, j + 1] + 1 : Math.Max(table[i + 1, j], table[i, j + 1]);
            }
        }

        var differences = new List<string>();
        var (a, b) = (0, 0);
        var (onlyQuote, onlySource) = (new List<string>(), new List<string>());
        void Flush()
        {
            if (onlyQuote.Count > 0 && onlySource.Count > 0)
            {
                differences.Add($"the source has '{string.Join(' ', onlySource)}' where the quote has '{string.Join(' ', onlyQuote)}'");
            }
            else if (onlyQuote.Count > 0)
            {
                differences.Add($"the source lacks '{string.Join(' ', onlyQuote)}'");
            }
            else if (onlySource.Count > 0)
            {
                differences.Add($"the source also has '{string.Join(' ', onlySource)}'");
            }

            onlyQuote.Clear();
            onlySource.Clear();
        }

        while (a < n || b < m)
        {
            if (a < n && b < m && quote[a].Folded == passage[b].Folded)
            {
                Flush();
                (a, b) = (a + 1, b + 1);
            }
            else if (b < m && (a == n || table[a, b + 1] >= table[a + 1, b]))
            {
                onlySource.Add(passage[b++].Folded);
            }
            else
            {
                onlyQuote.Add(quote[a++].Folded);
            }
        }

        Flush();
        return [.. differences.Take(MaxDifferencesShown)];
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c);

    /// <summary>An error is one line: line breaks of a passage are shown as YAML writes them in a double-quoted string.</summary>
    private static string Shorten(string value)
    {
        var shown = value.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return shown.Length <= 240 ? shown : shown[..237] + "...";
    }
}
