using System.Globalization;
using System.Text.RegularExpressions;
using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;

namespace Ledger.Drafting;

/// <summary>A sentence of a source, by its characters.</summary>
public sealed record Sentence(int Start, int End, string Text);

/// <summary>A number the text gives, with the words that qualify it ("about 1,000").</summary>
public sealed record CountFound(string AsWritten, long Value, QuantityQualifier Qualifier);

/// <summary>A date the text gives, resolved against the publication date: a day, a month, or a deadline ("by").</summary>
public sealed record DateFound(string AsWritten, string Resolved, DateOnly Day, bool Deadline);

/// <summary>An actor or party a sentence names, by one of its registered names.</summary>
public sealed record NameFound(string AsWritten, string Id, bool IsActor, string? PartyId);

/// <summary>
/// Reads the facts of a sentence that coding needs by fixed rules: who it names, what it counts, and when.
/// Deterministic and local: no model and no network, so the same text drafts the same way every time.
/// </summary>
public static partial class TextFacts
{
    private static readonly string[] Abbreviations = ["Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Lt", "Col", "Sen", "Rep", "Jr", "Sr", "No", "vs", "etc", "Prof", "Gov", "U.S", "U.N", "U.K", "E.U"];

    public static IReadOnlyList<Sentence> Sentences(string text)
    {
        var sentences = new List<Sentence>();
        var start = 0;
        void Add(int end)
        {
            var (from, to) = (start, end);
            while (from < to && char.IsWhiteSpace(text[from]))
            {
                from++;
            }

            while (to > from && char.IsWhiteSpace(text[to - 1]))
            {
                to--;
            }

            if (to > from)
            {
                sentences.Add(new Sentence(from, to, text[from..to]));
            }

            start = end;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                Add(i + 1);
                continue;
            }

            if (text[i] is not ('.' or '!' or '?'))
            {
                continue;
            }

            var after = i + 1;
            while (after < text.Length && text[after] is '"' or '”' or '’' or '\'' or ')' or '»')
            {
                after++;
            }

            if (after < text.Length && text[after] is ' ' or '\u00A0' && text[i] == '.' && IsAbbreviation(text, i))
            {
                continue;
            }

            if (after >= text.Length || text[after] is ' ' or '\u00A0' or '\t' or '\r')
            {
                Add(after);
                i = after - 1;
            }
        }

        Add(text.Length);
        return sentences;
    }

    private static bool IsAbbreviation(string text, int dot)
    {
        var from = dot;
        while (from > 0 && (char.IsLetter(text[from - 1]) || text[from - 1] == '.'))
        {
            from--;
        }

        var word = text[from..dot];
        return word.Length == 1 && char.IsUpper(word[0]) || Abbreviations.Contains(word, StringComparer.Ordinal);
    }

    /// <summary>The actors and parties a sentence names, by name or alias; a party also by its adjective ("Russian").</summary>
    public static IReadOnlyList<NameFound> Names(string sentence, Negotiation negotiation)
    {
        var found = new List<NameFound>();
        foreach (var actor in negotiation.Actors)
        {
            foreach (var name in new[] { actor.Name }.Concat(actor.Aliases).Where(n => n.Length > 2).OrderByDescending(n => n.Length))
            {
                if (WholeWord(sentence, name, allowSuffix: false) is { } asWritten)
                {
                    found.Add(new NameFound(asWritten, actor.Id, true, actor.PartyId));
                    break;
                }
            }
        }

        foreach (var party in negotiation.Parties)
        {
            // "Ukraine" also names "Ukrainian", "Israel" "Israeli": the name's stem at the start of a word.
            var stem = party.Name.EndsWith('e') && party.Name.Length > 4 ? party.Name[..^1] : party.Name;
            if (WholeWord(sentence, stem, allowSuffix: !party.Name.Contains(' ')) is { } asWritten)
            {
                found.Add(new NameFound(asWritten, party.Id, false, party.Id));
            }
        }

        return found;
    }

    private static string? WholeWord(string sentence, string name, bool allowSuffix)
    {
        for (var at = sentence.IndexOf(name, StringComparison.Ordinal); at >= 0; at = sentence.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 || !char.IsLetterOrDigit(sentence[at - 1]);
            var end = at + name.Length;
            if (!before)
            {
                continue;
            }

            if (end < sentence.Length && char.IsLetterOrDigit(sentence[end]))
            {
                if (!allowSuffix)
                {
                    continue;
                }

                while (end < sentence.Length && char.IsLetter(sentence[end]))
                {
                    end++;
                }

                if (end - at - name.Length > 4)
                {
                    continue;
                }
            }

            return sentence[at..end];
        }

        return null;
    }

    [GeneratedRegex(@"(?<qualifier>\b(?:about|around|approximately|roughly|some|nearly|almost|more than|over|at least|no fewer than|up to|as many as|fewer than|less than)\s+)?(?<number>\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:\.\d+)?\b)(?:\s+(?<scale>thousand|million))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    [GeneratedRegex(@"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b", RegexOptions.CultureInvariant)]
    private static partial Regex MonthName();

    public static IReadOnlyList<CountFound> Counts(string sentence)
    {
        var counts = new List<CountFound>();
        foreach (Match match in Number().Matches(sentence))
        {
            var digits = match.Groups["number"].Value.Replace(",", "", StringComparison.Ordinal);
            if (!double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            // Years, days of a month and times are dates, not counts.
            var (before, after) = (sentence[..match.Index], sentence[(match.Index + match.Length)..]);
            var nearMonth = MonthName().IsMatch(before.Length > 12 ? before[^12..] : before) || MonthName().IsMatch(after.Length > 12 ? after[..12] : after);
            var isYear = value is >= 1900 and <= 2100 && !match.Groups["qualifier"].Success && !digits.Contains('.', StringComparison.Ordinal);
            var isDay = nearMonth && value <= 31;
            var isTime = after.StartsWith(':') || before.EndsWith(':') || after.TrimStart().StartsWith("a.m", StringComparison.OrdinalIgnoreCase) || after.TrimStart().StartsWith("p.m", StringComparison.OrdinalIgnoreCase);
            var isPercent = after.StartsWith('%') || after.TrimStart().StartsWith("per", StringComparison.OrdinalIgnoreCase);
            if (isYear || isDay || isTime || isPercent)
            {
                continue;
            }

            var scale = match.Groups["scale"].Value.ToLowerInvariant() switch
            {
                "thousand" => 1_000,
                "million" => 1_000_000,
                _ => 1,
            };
            counts.Add(new CountFound(match.Value.Trim(), (long)(value * scale), Qualifier(match.Groups["qualifier"].Value)));
        }

        return counts;
    }

    private static QuantityQualifier Qualifier(string words) => words.Trim().ToLowerInvariant() switch
    {
        "" => QuantityQualifier.Exactly,
        "more than" or "over" => QuantityQualifier.MoreThan,
        "at least" or "no fewer than" => QuantityQualifier.AtLeast,
        "up to" or "as many as" or "fewer than" or "less than" => QuantityQualifier.UpTo,
        _ => QuantityQualifier.About,
    };

    /// <summary>How a count is written in an event file: "about 1,000", "more than 6,000".</summary>
    public static string CountField(CountFound count) => count.Qualifier switch
    {
        QuantityQualifier.About => $"about {count.Value:N0}",
        QuantityQualifier.MoreThan => $"more than {count.Value:N0}",
        QuantityQualifier.AtLeast => $"at least {count.Value:N0}",
        QuantityQualifier.UpTo => $"up to {count.Value:N0}",
        _ => count.Value.ToString("N0", CultureInfo.InvariantCulture),
    };

    private const string Months = "January|February|March|April|May|June|July|August|September|October|November|December";

    [GeneratedRegex(@"\b(?:by|before|until|no later than)\s+the\s+end\s+of\s+(?<month>" + Months + @")(?:\s+(?<year>\d{4}))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EndOfMonth();

    [GeneratedRegex(@"\b(?<by>by\s+|before\s+|until\s+)?(?:on\s+)?(?<day>\d{1,2})(?:st|nd|rd|th)?\s+(?<month>" + Months + @")(?:,?\s+(?<year>\d{4}))?", RegexOptions.CultureInvariant)]
    private static partial Regex DayMonth();

    [GeneratedRegex(@"\b(?<by>by\s+|before\s+|until\s+)?(?:on\s+)?(?<month>" + Months + @")\s+(?<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?<year>\d{4}))?", RegexOptions.CultureInvariant)]
    private static partial Regex MonthDay();

    [GeneratedRegex(@"\b(?<next>next\s+|last\s+)?(?:on\s+)?(?<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Weekday();

    [GeneratedRegex(@"\b(?<word>yesterday|today|tomorrow)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RelativeDay();

    [GeneratedRegex(@"\b(?<by>by\s+|in\s+|since\s+)(?<month>" + Months + @")(?:\s+(?<year>\d{4}))?\b(?!\s+\d)", RegexOptions.CultureInvariant)]
    private static partial Regex InMonth();

    /// <summary>The dates a sentence gives, resolved against the day its source was published.</summary>
    public static IReadOnlyList<DateFound> Dates(string sentence, DateOnly published)
    {
        var dates = new List<DateFound>();
        var taken = new List<(int Start, int End)>();
        void Add(Match match, DateOnly day, string resolved, bool deadline)
        {
            if (taken.Any(t => match.Index < t.End && t.Start < match.Index + match.Length))
            {
                return;
            }

            taken.Add((match.Index, match.Index + match.Length));
            dates.Add(new DateFound(match.Value.Trim(), resolved, day, deadline));
        }

        foreach (Match m in EndOfMonth().Matches(sentence))
        {
            var month = MonthOf(m.Groups["month"].Value);
            var year = m.Groups["year"].Success ? int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture) : YearFor(month, published, forward: true);
            var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
            Add(m, last, $"by {last:yyyy-MM-dd}", true);
        }

        foreach (var m in DayMonth().Matches(sentence).Concat(MonthDay().Matches(sentence)))
        {
            var month = MonthOf(m.Groups["month"].Value);
            var dayOfMonth = int.Parse(m.Groups["day"].Value, CultureInfo.InvariantCulture);
            var year = m.Groups["year"].Success ? int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture) : YearFor(month, published, forward: false);
            if (dayOfMonth < 1 || dayOfMonth > DateTime.DaysInMonth(year, month))
            {
                continue;
            }

            var day = new DateOnly(year, month, dayOfMonth);
            var by = m.Groups["by"].Success;
            Add(m, day, by ? $"by {day:yyyy-MM-dd}" : $"{day:yyyy-MM-dd}", by);
        }

        foreach (Match m in Weekday().Matches(sentence))
        {
            var weekday = Enum.Parse<DayOfWeek>(m.Groups["weekday"].Value);
            var next = m.Groups["next"].Value.Trim().Equals("next", StringComparison.OrdinalIgnoreCase);
            var last = m.Groups["next"].Value.Trim().Equals("last", StringComparison.OrdinalIgnoreCase);
            // A weekday without "next" is the latest such day up to publication: news reports what has happened.
            var back = ((int)published.DayOfWeek - (int)weekday + 7) % 7;
            var day = next ? published.AddDays(((int)weekday - (int)published.DayOfWeek + 7) % 7 is 0 ? 7 : ((int)weekday - (int)published.DayOfWeek + 7) % 7)
                : published.AddDays(-(last && back == 0 ? 7 : back));
            Add(m, day, $"{day:yyyy-MM-dd}", false);
        }

        foreach (Match m in RelativeDay().Matches(sentence))
        {
            var day = m.Groups["word"].Value.ToLowerInvariant() switch
            {
                "yesterday" => published.AddDays(-1),
                "tomorrow" => published.AddDays(1),
                _ => published,
            };
            Add(m, day, $"{day:yyyy-MM-dd}", false);
        }

        foreach (Match m in InMonth().Matches(sentence))
        {
            var month = MonthOf(m.Groups["month"].Value);
            var by = m.Groups["by"].Value.Trim() == "by";
            var year = m.Groups["year"].Success ? int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture) : YearFor(month, published, forward: by);
            var first = new DateOnly(year, month, 1);
            var lastDay = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
            Add(m, by ? lastDay : first, by ? $"by {lastDay:yyyy-MM-dd}" : $"{first:yyyy-MM}", by);
        }

        return [.. dates.OrderBy(d => sentence.IndexOf(d.AsWritten, StringComparison.Ordinal))];
    }

    private static int MonthOf(string name) => DateTime.ParseExact(name, "MMMM", CultureInfo.InvariantCulture).Month;

    /// <summary>The year a month without one belongs to: the publication's, unless that puts a past event months after it (or a deadline before it).</summary>
    private static int YearFor(int month, DateOnly published, bool forward) =>
        forward
            ? month < published.Month - 6 ? published.Year + 1 : published.Year
            : month > published.Month + 2 ? published.Year - 1 : published.Year;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "that", "with", "was", "were", "are", "has", "had", "have", "this", "from", "but", "not", "its", "his", "her",
        "their", "they", "them", "said", "says", "will", "would", "also", "been", "which", "who", "whom", "what", "when", "where", "than",
        "after", "before", "into", "about", "over", "more", "other", "some", "such", "there", "these", "those", "our", "all", "any", "can",
        "could", "may", "might", "should", "one", "two", "him", "she", "out", "did", "does", "being", "only", "while", "then", "both", "each",
        "according", "told", "added", "noted", "stated", "per", "via", "within", "between", "during", "under", "upon", "again", "yet",
    };

    /// <summary>The words that carry a sentence's content: lower-cased, without the common words of English.</summary>
    public static IEnumerable<string> ContentWords(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || (text[i] is ',' or '.' && i > start && i + 1 < text.Length && char.IsDigit(text[i - 1]) && char.IsDigit(text[i + 1]))))
            {
                i++;
            }

            if (i - start >= 3)
            {
                var word = text[start..i].ToLowerInvariant();
                if (!StopWords.Contains(word))
                {
                    yield return Stem(word);
                }
            }
        }
    }

    /// <summary>A crude stem, enough to meet "prisoners" with "prisoner" and "exchanged" with "exchange".</summary>
    private static string Stem(string word)
    {
        foreach (var suffix in new[] { "ing", "ed", "es", "s" })
        {
            if (word.Length > suffix.Length + 3 && word.EndsWith(suffix, StringComparison.Ordinal) && !char.IsDigit(word[^1]))
            {
                return word[..^suffix.Length];
            }
        }

        return word;
    }
}
