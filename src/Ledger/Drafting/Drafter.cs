using System.Globalization;
using System.Reflection;
using System.Text;
using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Provenance;
using Ledger.Domain.Recording;

namespace Ledger.Drafting;

/// <summary>A development the ledger holds, as a draft matches sentences against it: what its reports say, in words, numbers and names.</summary>
public sealed record KnownDevelopment(string Key, string TrackId, string Kind, FuzzyDate Occurred, IReadOnlyList<string> Words, IReadOnlySet<long> Numbers, IReadOnlySet<string> Names, Development Example);

/// <summary>What a sentence probably reports: a development on record (with why), or nothing known.</summary>
public sealed record DevelopmentGuess(KnownDevelopment Development, double Score, IReadOnlyList<string> Because);

/// <summary>One item of a draft: a sentence of the source, quoted exactly, with what was read in it.</summary>
public sealed record DraftItem(Sentence Sentence, QuoteAnchor Quote, IReadOnlyList<NameFound> Names, IReadOnlyList<CountFound> Counts, IReadOnlyList<DateFound> Dates, DevelopmentGuess? Guess, string? TrackGuess);

public sealed record Draft(string SourceId, string NegotiationId, IReadOnlyList<DraftItem> Items, string Yaml);

/// <summary>
/// Drafts an event file from a registered source: every sentence that names an actor or a party, or that reads like a
/// development on record, becomes a report quoting that sentence exactly, with the counts and dates read in it and the
/// development it probably reports. What the rules cannot decide is left as <c>TODO</c>, which the importer refuses,
/// so a draft is finished by an analyst before it records anything.
/// </summary>
public static class Drafter
{
    public const string Todo = "TODO";

    /// <summary>How alike a sentence and a development must be for the draft to propose the development's key.</summary>
    public const double MatchThreshold = 0.3;

    /// <summary>How alike, as a share of the best candidate's score, another development must be to be proposed for the same sentence.</summary>
    public const double SecondCandidateShare = 0.7;

    public const int MaxCandidatesPerSentence = 3;

    public static Draft Write(SourceText source, Negotiation negotiation, IReadOnlyList<KnownDevelopment> known, double threshold = MatchThreshold)
    {
        // A source reports what has happened by its publication: a development that began later is not among its candidates.
        known = [.. known.Where(k => k.Occurred.Earliest <= source.Published)];
        var weights = WordWeights(known);
        // The words of actors' names are scored as names: as words they would make every report of one speaker
        // alike ("Rustem Umerov said ...") whatever it reports.
        foreach (var word in negotiation.Actors.SelectMany(a => a.Aliases.Append(a.Name)).SelectMany(MatchWords))
        {
            weights[word] = NameWordWeight;
        }

        var items = new List<DraftItem>();
        Sentence? previous = null;
        foreach (var sentence in TextFacts.Sentences(source.Text))
        {
            var names = TextFacts.Names(sentence.Text, negotiation);
            var counts = TextFacts.Counts(sentence.Text);
            var dates = TextFacts.Dates(sentence.Text, source.Published);
            var track = TrackGuess(sentence.Text, negotiation, known, weights);
            var candidates = Candidates(sentence.Text, names, counts, dates, known, weights, threshold, TrackGuess(sentence.Text, negotiation, [], weights));
            if (candidates.Count == 0 && names.Count > 0 && previous is not null)
            {
                // A sentence that names someone but matches nothing often continues the one before it, which says what it is about.
                var context = previous.Text + " " + sentence.Text;
                candidates = Candidates(context, names, counts, dates, known, weights, threshold, TrackGuess(context, negotiation, [], weights));
            }

            previous = sentence;
            if (names.Count == 0 && candidates.Count == 0)
            {
                continue;
            }

            if (Anchor(source.Text, sentence) is not { } anchor)
            {
                continue;
            }

            if (candidates.Count == 0)
            {
                items.Add(new DraftItem(sentence, anchor, names, counts, dates, null, track));
                continue;
            }

            // A sentence often reports two developments at once ("Trump announced that both sides agreed"): the
            // candidates nearly as alike as the best are proposed too, each as its own item the analyst keeps or deletes.
            foreach (var guess in candidates.TakeWhile((c, i) => i == 0 || c.Score >= SecondCandidateShare * candidates[0].Score).Take(MaxCandidatesPerSentence))
            {
                items.Add(new DraftItem(sentence, anchor, names, counts, dates, guess, guess.Development.TrackId));
            }
        }

        return new Draft(source.Id, negotiation.Id, items, Yaml(source, negotiation, items));
    }

    /// <summary>The sentence as a verified quote: it occurs once in the text, or once after the characters before it.</summary>
    private static QuoteAnchor? Anchor(string text, Sentence sentence)
    {
        var lookup = QuoteLocator.Locate(text, sentence.Text);
        if (lookup.Found && lookup.Anchor!.Start == sentence.Start)
        {
            return lookup.Anchor;
        }

        var prefix = text[Math.Max(0, sentence.Start - 40)..sentence.Start];
        lookup = QuoteLocator.Locate(text, sentence.Text, prefix);
        return lookup.Found && lookup.Anchor!.Start == sentence.Start ? lookup.Anchor : null;
    }

    /// <summary>Rare words say more than common ones: a word's weight is how few developments use it.</summary>
    private static Dictionary<string, double> WordWeights(IReadOnlyList<KnownDevelopment> known)
    {
        var documents = Math.Max(1, known.Count);
        return known.SelectMany(k => k.Words.Distinct()).GroupBy(w => w, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Math.Log(1.0 + documents / (double)g.Count()), StringComparer.Ordinal);
    }

    /// <summary>
    /// Content words cut to their first letters, so that forms the stemmer leaves apart still meet
    /// ("memorandum", "memoranda"; "negotiations", "negotiators").
    /// </summary>
    private static IEnumerable<string> MatchWords(string text) => TextFacts.ContentWords(text).Select(w => w.Length > MatchPrefix ? w[..MatchPrefix] : w);

    private const int MatchPrefix = 6;

    private static double Weight(Dictionary<string, double> weights, string word) => weights.TryGetValue(word, out var w) ? w : Math.Log(2.0 + weights.Count);

    /// <summary>The developments on record a sentence may report, most alike first, each at least as alike as the threshold.</summary>
    public static IReadOnlyList<DevelopmentGuess> Candidates(string sentence, IReadOnlyList<NameFound> names, IReadOnlyList<CountFound> counts, IReadOnlyList<DateFound> dates, IReadOnlyList<KnownDevelopment> known, Dictionary<string, double> weights, double threshold, string? likelyTrack = null)
    {
        var words = MatchWords(sentence).ToHashSet(StringComparer.Ordinal);
        if (words.Count == 0)
        {
            return [];
        }

        var total = words.Sum(w => Weight(weights, w));
        var implied = ImpliedKinds(sentence);
        var candidates = new List<DevelopmentGuess>();
        foreach (var development in known)
        {
            var theirs = development.Words.ToHashSet(StringComparer.Ordinal);
            var shared = words.Where(theirs.Contains).ToList();
            var score = shared.Sum(w => Weight(weights, w)) / total;
            var because = new List<string>();
            if (shared.Count > 0)
            {
                because.Add("words " + string.Join(", ", shared.OrderByDescending(w => Weight(weights, w)).Take(5).Select(w => $"'{w}'")));
            }

            var numbers = counts.Where(c => development.Numbers.Contains(c.Value)).Select(c => c.AsWritten).Distinct().ToList();
            if (numbers.Count > 0)
            {
                score += 0.25 * Math.Min(2, numbers.Count);
                because.Add("counts " + string.Join(", ", numbers));
            }

            var people = names.Where(n => development.Names.Contains(n.Id)).Select(n => n.Id).Distinct().ToList();
            if (people.Count > 0)
            {
                score += 0.05 * Math.Min(3, people.Count);
                because.Add("names " + string.Join(", ", people));
            }

            var events = dates.Where(d => !d.Deadline).ToList();
            if (events.Any(d => development.Occurred.Earliest <= d.Day && d.Day <= development.Occurred.Latest))
            {
                // The very day the development is recorded on says more than a month or a "before" it falls in.
                score += development.Occurred.Precision == DatePrecision.Day && events.Any(d => d.Day == development.Occurred.Date) ? ExactDateBonus : DateBonus;
                because.Add($"date {development.Occurred}");
            }
            else if (events.Count > 0 && development.Occurred.Precision == DatePrecision.Day)
            {
                score -= OtherDatePenalty;
            }

            if (development.TrackId == likelyTrack)
            {
                score += TrackBonus;
                because.Add($"the vocabulary of track {likelyTrack}");
            }

            if (implied.Contains(development.Kind))
            {
                score += KindBonus;
                because.Add($"a verb of {development.Kind}");
            }

            if (score >= threshold)
            {
                candidates.Add(new DevelopmentGuess(development, score, because));
            }
        }

        return [.. candidates.OrderByDescending(c => c.Score).ThenBy(c => c.Development.Key, StringComparer.Ordinal)];
    }

    private const double KindBonus = 0.15;

    private const double TrackBonus = 0.15;

    private const double NameWordWeight = 0.3;

    private const double ExactDateBonus = 0.25;

    private const double DateBonus = 0.1;

    private const double OtherDatePenalty = 0.1;

    /// <summary>The words that say what kind of development a sentence reports: who agreed, proposed, met, returned or said what.</summary>
    private static readonly (string Kind, string[] Words)[] KindVerbs =
    [
        ("agreement-reached", ["agreed", "agree to", "agree on", "agreement", "signed", "deal", "accord"]),
        ("proposal-made", ["proposed", "proposes", "proposal", "offered", "offers", "suggested", "put forward"]),
        ("proposal-answered", ["rejected", "accepted", "responded", "response to", "refused", "declined"]),
        ("exchange-completed", ["exchanged", "returned", "released", "freed", "swap", "came home", "handed over the bodies", "repatriated"]),
        ("exchange-underway", ["underway", "under way", "began", "started", "first stage", "first phase"]),
        ("total-reported", ["so far", "in total", "in all", "total of", "altogether"]),
        ("document-handed-over", ["handed over", "handed", "gave", "given", "submitted", "presented", "passed", "memorand", "list of"]),
        ("meeting-held", ["met ", "talks took place", "took place", "held talks", "meeting", "round of", "discussed", "lasted"]),
        ("meeting-planned", ["will meet", "next meeting", "next round", "planned", "scheduled", "to be held", "will be held"]),
        ("summit-held", ["summit"]),
        ("call-held", ["phone", "call with", "spoke with", "telephone"]),
        ("delegation-changed", ["delegation", "headed by", "led by", "composition", "appointed"]),
        ("deadline-set", ["deadline", "by the end of", "within", "no later than"]),
        ("statement-made", ["said", "announced", "stated", "told", "declared", "wrote", "post"]),
        ("position-stated", ["insist", "ready", "readiness", "demand", "position", "wants", "priority", "must", "will not"]),
        ("assessment-made", ["far from", "assess", "believe", "progress", "positive", "constructive", "difficult", "expects"]),
        ("allegation-made", ["accus", "violat", "blamed", "alleged", "claimed"]),
        ("appeal-made", ["called on", "urged", "appeal", "calls on", "asked"]),
        ("contradiction-noted", ["contrary", "however", "denied", "contradict"]),
    ];

    private static HashSet<string> ImpliedKinds(string sentence)
    {
        var lower = sentence.ToLowerInvariant();
        return KindVerbs.Where(k => k.Words.Any(w => lower.Contains(w, StringComparison.Ordinal))).Select(k => k.Kind).ToHashSet(StringComparer.Ordinal);
    }

    private static string? TrackGuess(string sentence, Negotiation negotiation, IReadOnlyList<KnownDevelopment> known, Dictionary<string, double> weights)
    {
        var words = MatchWords(sentence).ToHashSet(StringComparer.Ordinal);
        return negotiation.Tracks
            .Select(t => (t.Id, Score: MatchWords($"{t.Title} {t.Description}").Concat(known.Where(k => k.TrackId == t.Id).SelectMany(k => k.Words))
                .Distinct(StringComparer.Ordinal).Where(words.Contains).Sum(w => Weight(weights, w))))
            .Where(t => t.Score > 0).OrderByDescending(t => t.Score).Select(t => t.Id).FirstOrDefault();
    }

    /// <summary>The developments a negotiation's recorded reports make, for a draft to match sentences against.</summary>
    public static IReadOnlyList<KnownDevelopment> Known(Negotiation negotiation, IEnumerable<Development> reports) =>
        [.. reports.GroupBy(r => r.Claim.DevelopmentKey, StringComparer.Ordinal).Select(g =>
        {
            var first = g.First();
            var text = string.Join(" ", g.Select(r => r.Claim.Provenance.Quote.Exact + " " + r.Summary));
            var numbers = g.SelectMany(r => TextFacts.Counts(r.Claim.Provenance.Quote.Exact)).Select(c => c.Value).ToHashSet();
            var names = g.SelectMany(r => TextFacts.Names(r.Claim.Provenance.Quote.Exact, negotiation)).Select(n => n.Id)
                .Concat(g.Select(r => r.Claim.Provenance.SaidBy?.Actor).OfType<string>()).ToHashSet(StringComparer.Ordinal);
            return new KnownDevelopment(g.Key, first.Claim.TrackId, first.Kind, first.Claim.Provenance.Occurred, [.. MatchWords(text)], numbers, names, first);
        })];

    private static string Yaml(SourceText source, Negotiation negotiation, List<DraftItem> items)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"# A draft of the reports in source '{source.Id}' (published {source.Published:yyyy-MM-dd}), written by 'ledger draft'.");
        yaml.AppendLine("# Finish it before importing: replace every TODO (the importer refuses a file that still has one), check each");
        yaml.AppendLine("# proposed key, kind and date against the sentence, and delete the items that report nothing. Quotes are exact:");
        yaml.AppendLine("# each is the sentence at the characters given, so shorten one only by deleting from its ends.");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"negotiation: {negotiation.Id}");
        yaml.AppendLine("developments:");
        if (items.Count == 0)
        {
            yaml.AppendLine("  # No sentence names a registered actor or party, or reads like a development on record.");
            yaml.AppendLine("  - key: TODO");
        }

        foreach (var item in items)
        {
            yaml.AppendLine();
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  # Characters {item.Quote.Start}–{item.Quote.End}.");
            if (item.Names.Count > 0)
            {
                yaml.AppendLine("  # Names: " + string.Join("; ", item.Names.Select(n => $"{n.AsWritten} ({(n.IsActor ? "actor" : "party")} {n.Id})")));
            }

            if (item.Counts.Count > 0)
            {
                yaml.AppendLine("  # Counts: " + string.Join("; ", item.Counts.Select(c => $"\"{c.AsWritten}\" = {TextFacts.CountField(c)}")));
            }

            if (item.Dates.Count > 0)
            {
                yaml.AppendLine("  # Dates: " + string.Join("; ", item.Dates.Select(d => $"\"{d.AsWritten}\" = {d.Resolved}{(d.Deadline ? " (a deadline)" : "")}")));
            }

            var guess = item.Guess;
            var kind = guess is null ? null : DevelopmentKinds.Named(guess.Development.Kind);
            if (guess is not null)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"  # Probably reports '{guess.Development.Key}' ({guess.Development.Kind}, {guess.Development.Occurred}), sharing {string.Join("; ", guess.Because)}.");
                yaml.AppendLine(CultureInfo.InvariantCulture, $"  - key: {guess.Development.Key}");
            }
            else
            {
                yaml.AppendLine("  # No development on record matches: name a new one, or delete the item.");
                yaml.AppendLine("  - key: TODO");
            }

            yaml.AppendLine("    reports:");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"      - source: {source.Id}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"        track: {item.TrackGuess ?? Todo}{(guess is null && item.TrackGuess is not null ? "  # guessed from its words" : "")}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"        kind: {kind?.Name ?? Todo}{(kind is null ? $"  # one of: {string.Join(", ", DevelopmentKinds.Names)}" : "")}");
            var occurred = item.Dates.FirstOrDefault(d => !d.Deadline)?.Resolved ?? guess?.Development.Occurred.ToString();
            yaml.AppendLine(CultureInfo.InvariantCulture, $"        occurred: {occurred ?? Todo}{(occurred is null ? $"  # a date (yyyy-MM-dd, yyyy-MM, by yyyy-MM-dd) or 'undated'; published {source.Published:yyyy-MM-dd}" : item.Dates.Any(d => !d.Deadline) ? "" : "  # as recorded: check it")}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"        quote: {Quoted(item.Quote.Exact)}");
            if (item.Quote.Prefix is { } prefix)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"        prefix: {Quoted(prefix)}");
            }

            if (item.Names.Where(n => n.IsActor).Select(n => n.AsWritten).Distinct().ToList() is [var speaker] && SaysSomething(item.Sentence.Text))
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"        said-by: {Quoted(speaker)}");
            }

            if (kind is not null)
            {
                foreach (var line in KindFields(kind, guess!.Development.Example, item))
                {
                    yaml.AppendLine("        " + line);
                }
            }
        }

        return yaml.ToString();
    }

    private static readonly string[] SpeechVerbs = [" said", " says", " told", " stated", " announced", " declared", " noted", " stressed", " added", " claimed", " warned"];

    private static bool SaysSomething(string sentence) => SpeechVerbs.Any(v => sentence.Contains(v, StringComparison.Ordinal));

    /// <summary>
    /// The fields of the development's kind: what the recorded development says when it is a name or a list of
    /// names (checked by the analyst like the rest), the counts read in the sentence for transfers, TODO otherwise.
    /// </summary>
    private static IEnumerable<string> KindFields(DevelopmentKind kind, Development example, DraftItem item)
    {
        foreach (var field in kind.Fields)
        {
            var property = example.GetType().GetProperty(Pascal(field), BindingFlags.Public | BindingFlags.Instance);
            var value = property?.GetValue(example);
            switch (field)
            {
                case "transfers":
                    yield return "transfers:" + (item.Counts.Count == 0 ? "  # TODO: the counts, as { to: party, count: n }" : "");
                    foreach (var count in item.Counts.DefaultIfEmpty())
                    {
                        yield return count is null ? "  - { to: TODO, count: TODO }" : $"  - {{ to: TODO, count: \"{TextFacts.CountField(count)}\" }}";
                    }

                    continue;
                case "text" or "position" or "demand":
                    yield return $"{field}: {Todo}  # in a few words, what this report says";
                    continue;
            }

            switch (value)
            {
                case null:
                    continue;
                case string s:
                    yield return $"{field}: {Quoted(s)}";
                    break;
                case IEnumerable<string> list:
                    yield return $"{field}: [{string.Join(", ", list.Select(Quoted))}]";
                    break;
                case Enum e:
                    yield return $"{field}: {System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(e.ToString())}";
                    break;
                case FuzzyDate date:
                    yield return $"{field}: {Quoted(date.ToString())}  # as recorded: check it";
                    break;
                case Implementation implementation:
                    yield return implementation.Stage is { } stage ? $"{field}: {{ agreement: {implementation.AgreementKey}, stage: {stage} }}" : $"{field}: {{ agreement: {implementation.AgreementKey} }}";
                    break;
                default:
                    yield return $"{field}: {Todo}  # as recorded: {Shorten(System.Text.Json.JsonSerializer.Serialize(value))}";
                    break;
            }
        }
    }

    private static string Shorten(string value) => value.Length <= 160 ? value : value[..157] + "...";

    private static string Pascal(string field) => string.Concat(field.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    /// <summary>A YAML double-quoted scalar that reads back as exactly these characters.</summary>
    public static string Quoted(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\u00A0' => "\\_",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085' or '\uFEFF' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}
