namespace Ledger.Domain.Provenance;

public enum QuoteProblem
{
    None,
    Empty,
    NotFound,
    Ambiguous,
}

public sealed record QuoteLookup(QuoteAnchor? Anchor, QuoteProblem Problem, int Occurrences)
{
    public bool Found => Problem == QuoteProblem.None;
}

/// <summary>
/// Resolves a quote against a source text, verbatim. A quote must occur exactly once once its prefix and
/// suffix are taken into account; an absent or ambiguous quote is a problem the caller reports.
/// </summary>
public static class QuoteLocator
{
    public static QuoteLookup Locate(string text, string exact, string? prefix = null, string? suffix = null)
    {
        if (string.IsNullOrEmpty(exact))
        {
            return new QuoteLookup(null, QuoteProblem.Empty, 0);
        }

        var matches = new List<int>();
        for (var at = text.IndexOf(exact, StringComparison.Ordinal);
             at >= 0;
             at = text.IndexOf(exact, at + 1, StringComparison.Ordinal))
        {
            var prefixFits = string.IsNullOrEmpty(prefix)
                || (at >= prefix.Length && string.CompareOrdinal(text, at - prefix.Length, prefix, 0, prefix.Length) == 0);
            var end = at + exact.Length;
            var suffixFits = string.IsNullOrEmpty(suffix)
                || (end + suffix.Length <= text.Length && string.CompareOrdinal(text, end, suffix, 0, suffix.Length) == 0);
            if (prefixFits && suffixFits)
            {
                matches.Add(at);
            }
        }

        return matches.Count switch
        {
            0 => new QuoteLookup(null, QuoteProblem.NotFound, 0),
            1 => new QuoteLookup(new QuoteAnchor(exact, prefix, suffix, matches[0], matches[0] + exact.Length), QuoteProblem.None, 1),
            _ => new QuoteLookup(null, QuoteProblem.Ambiguous, matches.Count),
        };
    }

    /// <summary>The sentence (or line) around a character range, for showing a quote in its context.</summary>
    public static (string Sentence, int QuoteStartInSentence) SentenceAround(string text, int start, int end)
    {
        var from = start;
        while (from > 0 && !IsSentenceBreak(text, from - 1))
        {
            from--;
        }

        // Scan from the quote's last character, so a quote that ends its sentence keeps to that sentence.
        var to = Math.Max(start, end - 1);
        while (to < text.Length && !IsSentenceBreak(text, to))
        {
            to++;
        }

        if (to < text.Length && text[to] is '.' or '!' or '?')
        {
            to++;
        }

        var raw = text[from..to];
        var trimmedStart = raw.Length - raw.TrimStart().Length;
        return (raw.Trim(), start - from - trimmedStart);
    }

    private static bool IsSentenceBreak(string text, int i) =>
        text[i] == '\n'
        || (text[i] is '.' or '!' or '?' && i + 1 < text.Length && char.IsWhiteSpace(text[i + 1]));
}
