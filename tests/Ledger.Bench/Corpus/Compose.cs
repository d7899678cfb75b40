namespace Ledger.Bench.Corpus;

/// <summary>Sentences composed from <see cref="Words"/>: the quotes and the text around them.</summary>
internal static class Compose
{
    private static readonly string[] Answers = ["had accepted", "had rejected", "would consider", "had countered"];

    private static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    private static string Speaker(Random rng, NegotiationSpec n) => rng.Next(3) switch
    {
        0 => Pick(rng, n.Actors).Name,
        1 => $"A spokesperson for {Pick(rng, n.Parties).Name}",
        _ => $"The {Pick(rng, Words.Roles).ToLowerInvariant()} of {Pick(rng, n.Parties).Name}",
    };

    public static string Report(Random rng, NegotiationSpec n, string kind) =>
        $"{Speaker(rng, n)} {Pick(rng, Words.Speech)} on {Pick(rng, Words.Weekdays)} in {Pick(rng, Words.Places)} that {Pick(rng, n.Parties).Name} "
        + $"{Verb(rng, kind)} {Pick(rng, Words.Objects)} involving {rng.Next(2, 5000):N0} people {Pick(rng, Words.Qualifiers)}.";

    private static string Verb(Random rng, string kind) => kind switch
    {
        "proposal-made" => "had proposed",
        "proposal-answered" => Pick(rng, Answers),
        "agreement-reached" => "had agreed on",
        "exchange-completed" => "had completed",
        "exchange-underway" => "had begun",
        "position-stated" => "remained committed to",
        "meeting-held" => "had met to discuss",
        "delegation-changed" => "had reshuffled its team for",
        "document-handed-over" => "had handed over a document on",
        "assessment-made" => "saw " + Pick(rng, Words.Outcomes) + " over",
        "deadline-set" => "had set a deadline for",
        _ => Pick(rng, Words.Verbs),
    };

    public static string Correction(Random rng, string outlet) =>
        $"Correction: an earlier version of this {(outlet == "unknown" ? "report" : outlet + " report")} misstated the figures given on {Pick(rng, Words.Weekdays)}, reference {rng.Next(10_000, 99_999)}.";

    public static string Retraction(Random rng, string outlet) =>
        $"Editor's note: {(outlet == "unknown" ? "we" : outlet)} withdrew a report published on {Pick(rng, Words.Weekdays)} that could not be confirmed, reference {rng.Next(10_000, 99_999)}.";

    public static string Filler(Random rng, NegotiationSpec n) =>
        $"{Pick(rng, Words.Fillers)}, and {Pick(rng, n.Parties).Name} {Pick(rng, Words.Verbs)} {Pick(rng, Words.Objects)} {Pick(rng, Words.Qualifiers)} in {Pick(rng, Words.Places)} ({rng.Next(1, 99_999)}).";

    public static string Title(Random rng, NegotiationSpec n) =>
        $"{n.Parties[0].Name} and {n.Parties[1].Name} {Pick(rng, Words.Verbs)} {Pick(rng, Words.Objects)} in {Pick(rng, Words.Places)}";

    public static string Summary(Random rng)
    {
        var o = Pick(rng, Words.Objects);
        return $"{char.ToUpperInvariant(o[0])}{o[1..]} {Pick(rng, Words.Qualifiers)}";
    }
}
