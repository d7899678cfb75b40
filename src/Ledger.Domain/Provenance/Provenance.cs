using System.Text.Json.Serialization;

namespace Ledger.Domain.Provenance;

/// <summary>
/// Where a claim comes from: which source, the exact words (anchored like a web annotation: the exact
/// text with enough context to be unique, resolved to character offsets in the registered text), who the
/// source says said it, when the source says it happened, and when the source was published.
/// </summary>
public sealed record Provenance(
    string SourceId,
    QuoteAnchor Quote,
    Attribution? SaidBy,
    FuzzyDate Occurred,
    DateOnly Published)
{
    /// <summary>The outlet that published the source: republications of one outlet corroborate a development once.</summary>
    public string? Outlet { get; init; }
}

/// <summary>
/// A W3C-style text quote selector (exact, prefix, suffix) together with the text position selector
/// (start inclusive, end exclusive, in UTF-16 code units of the registered text) it resolved to.
/// </summary>
public sealed record QuoteAnchor(string Exact, string? Prefix, string? Suffix, int Start, int End);

/// <summary>
/// Who a source says made the statement. <see cref="AsNamed"/> keeps the words the source used
/// ("Volodymyr Medinsky"); <see cref="Actor"/> is the registered actor it resolves to, if any.
/// </summary>
public sealed record Attribution(string? Party, string? Actor, string? AsNamed, string? RoleAsGiven = null)
{
    /// <summary>The outlet or agency the article cites for it ("according to Reuters"): a link of the attribution chain.</summary>
    public string? Via { get; init; }

    /// <summary>
    /// The party whose own assertion the article presents it as ("which the Russian side claims are Ukrainian",
    /// "according to the Russian Ministry of Defence"): shown as that side's claim wherever it appears.
    /// </summary>
    public string? AssertedBy { get; init; }

    /// <summary>
    /// The registered role the report names instead of a person (<c>said-by-role: head-of-delegation</c>), with
    /// <see cref="Party"/> the party it is held for.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Role { get; init; }

    /// <summary>
    /// The actor the ledger resolved <see cref="Role"/> to: whoever its registered roles have holding it on the day the
    /// report says it happened. The ledger's reading, not the source's words, which stay in <see cref="AsNamed"/>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ResolvedActor { get; init; }

    /// <summary>What the resolution rests on ("role head-of-delegation on 2025-07-23").</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ResolvedFrom { get; init; }

    /// <summary>Why <see cref="Role"/> resolved to no one: nobody, or more than one, held it that day.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Unresolved { get; init; }

    /// <summary>
    /// The source gives the named person a role (<see cref="RoleAsGiven"/>) their registered roles do not have them
    /// holding on that day: both side by side. Not an error: the source said it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RoleConflict { get; init; }
}
