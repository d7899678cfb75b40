using System.Text.Json.Serialization;
using Ledger.Domain.Provenance;

namespace Ledger.Domain.Developments;

// The whole vocabulary of a track stream: every development a source can report, in the past tense.
// Events hold what the source said, never derived totals. Facts() names the comparable facts of a claim,
// so that two sources' claims about one development can be checked against each other.

// Read models keep claims of every kind in one list, so the kind travels with the JSON: the discriminator is the
// kind's name, declared once in DevelopmentKinds.
public abstract record Development(Claim Claim)
{
    /// <summary>The kind as written in event files, e.g. <c>proposal-made</c>.</summary>
    [JsonIgnore]
    public string Kind => DevelopmentKinds.Of(GetType()).Name;

    /// <summary>A one-line description for tables and timelines; derived, so never stored.</summary>
    [JsonIgnore]
    public abstract string Summary { get; }

    /// <summary>The facts two claims about the same development must agree on, by name.</summary>
    public virtual IReadOnlyDictionary<string, string> Facts()
    {
        var facts = new Dictionary<string, string>
        {
            ["kind"] = Kind,
            ["occurred"] = Claim.Provenance.Occurred.ToString(),
        };
        // Who said it is attribution, not content: two people reporting one fact corroborate it.
        return facts;
    }

    protected static IReadOnlyDictionary<string, string> With(IReadOnlyDictionary<string, string> facts, params (string Key, string? Value)[] more)
    {
        var all = new Dictionary<string, string>(facts);
        foreach (var (key, value) in more)
        {
            if (value is not null)
            {
                all[key] = value;
            }
        }

        return all;
    }
}

public enum ProposalResponse
{
    Accepted,
    Rejected,
    UnderConsideration,
    Countered,
    /// <summary>Part of the proposal accepted; what was is in <see cref="ProposalAnswered.Accepted"/>.</summary>
    PartlyAccepted,
    /// <summary>A positive signal without acceptance.</summary>
    Welcomed,
    /// <summary>A source says the proposal has not (yet) been accepted.</summary>
    NotYetAccepted,
    /// <summary>A source says there has been no answer.</summary>
    NoAnswer,
}

public enum QuantityQualifier
{
    Exactly,
    AtLeast,
    MoreThan,
    About,
    UpTo,
    /// <summary>"All-for-all": every member of the category, however many that is.</summary>
    All,
}

/// <summary>Ids registered per negotiation (categories, roles); events stored before they were data held enum names.</summary>
public static class RegisteredId
{
    public static string Normalise(string value) => value.Length > 0 && char.IsUpper(value[0]) ? Tracks.Naming.Kebab(value) : value;
}

/// <summary>A number as a source gives it, qualifier kept: "at least 1,200", "about 30", "more than 7 thousand".</summary>
public sealed record Quantity(int Value, QuantityQualifier Qualifier = QuantityQualifier.Exactly)
{
    public static Quantity AllOfThem { get; } = new(0, QuantityQualifier.All);

    /// <summary>Whether the number can be added up: "all-for-all" names no number.</summary>
    [JsonIgnore]
    public bool HasNumber => Qualifier != QuantityQualifier.All;

    public override string ToString() => Qualifier switch
    {
        QuantityQualifier.All => "all",
        QuantityQualifier.AtLeast => $"at least {Value:N0}",
        QuantityQualifier.MoreThan => $"more than {Value:N0}",
        QuantityQualifier.About => $"about {Value:N0}",
        QuantityQualifier.UpTo => $"up to {Value:N0}",
        _ => $"{Value:N0}",
    };

    /// <summary>The count as files and exports write it, and <see cref="TryParse"/> reads it, whatever the machine's culture.</summary>
    public string ToInvariantString()
    {
        var number = Value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        return Qualifier switch
        {
            QuantityQualifier.All => "all",
            QuantityQualifier.AtLeast => $"at least {number}",
            QuantityQualifier.MoreThan => $"more than {number}",
            QuantityQualifier.About => $"about {number}",
            QuantityQualifier.UpTo => $"up to {number}",
            _ => number,
        };
    }

    /// <summary>Reads "1,200", "at least 1,000", "about 30": a whole number of zero or more after an optional qualifier.</summary>
    public static bool TryParse(string text, out Quantity? quantity)
    {
        quantity = null;
        var s = text.Trim();
        if (s.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            quantity = AllOfThem;
            return true;
        }

        var qualifier = QuantityQualifier.Exactly;
        foreach (var (prefix, q) in new[] { ("at least ", QuantityQualifier.AtLeast), ("more than ", QuantityQualifier.MoreThan), ("about ", QuantityQualifier.About), ("up to ", QuantityQualifier.UpTo) })
        {
            if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                qualifier = q;
                s = s[prefix.Length..];
                break;
            }
        }

        if (Recording.Numbers.TryParseWhole(s, out var value) && value >= 0)
        {
            quantity = new Quantity(value, qualifier);
            return true;
        }

        return false;
    }
}

/// <summary>
/// People or remains handed over to a party in an exchange; <see cref="Count"/> is null when the source gives none.
/// <see cref="Category"/> is set when one exchange hands over several categories (270 soldiers and 120 civilians).
/// </summary>
public sealed record Transfer(string ToParty, Quantity? Count, string? Category = null);

/// <summary>A quantity of one category a proposal or agreement names; without <see cref="ToParty"/>, each side's.</summary>
public sealed record CategoryQuantity(string Category, Quantity Count, string? ToParty = null)
{
    public override string ToString() => $"{Count} {Category}{(ToParty is null ? "" : $" to {ToParty}")}";

    /// <summary>One fact per category and direction, so two sources naming different categories do not dispute each other.</summary>
    public static (string Key, string? Value)[] Facts(IEnumerable<CategoryQuantity> quantities) =>
        [.. quantities.Select(q => ($"quantity-{q.Category}{(q.ToParty is null ? "" : $"-to-{q.ToParty}")}", (string?)q.Count.ToString()))];
}

/// <summary>The agreement an exchange carries out, and which of its stages.</summary>
public sealed record Implementation(string AgreementKey, int? Stage = null);

public enum Outlook
{
    Neutral,
    Progressing,
    FarApart,
    Stalled,
}

public sealed record ProposalMade(Claim Claim, string ProposedBy, string? ProposedTo, string Text) : Development(Claim)
{
    public IReadOnlyList<CategoryQuantity> Quantities { get; init; } = [];

    /// <summary>When the proposal says it is to be done by; past it with nothing that fulfils it, the proposal lapses.</summary>
    public FuzzyDate? Due { get; init; }


    [JsonIgnore]
    public override string Summary => $"{ProposedBy} proposed: {Text}";

    public override IReadOnlyDictionary<string, string> Facts() =>
        With(With(base.Facts(), ("proposed-by", ProposedBy), ("due", Due?.ToString())), CategoryQuantity.Facts(Quantities));
}

public sealed record ProposalAnswered(Claim Claim, string ProposalKey, string RespondingParty, ProposalResponse Response, string Text)
    : Development(Claim)
{
    /// <summary>For a partial acceptance, what was accepted.</summary>
    public string? Accepted { get; init; }


    [JsonIgnore]
    public override string Summary => $"{RespondingParty} {ResponseText}: {Text}";

    private string ResponseText => Response switch
    {
        ProposalResponse.Accepted => "accepted",
        ProposalResponse.Rejected => "rejected",
        ProposalResponse.Countered => "countered",
        ProposalResponse.PartlyAccepted => $"partly accepted{(Accepted is null ? "" : $" ({Accepted})")}",
        ProposalResponse.Welcomed => "welcomed",
        ProposalResponse.NotYetAccepted => "has not accepted",
        ProposalResponse.NoAnswer => "has not answered",
        _ => "will consider",
    };

    public override IReadOnlyDictionary<string, string> Facts() =>
        With(base.Facts(), ("response", Tracks.Naming.Kebab(Response.ToString())), ("responding-party", RespondingParty));
}

public sealed record AgreementReached(Claim Claim, IReadOnlyList<string> Parties, string Text) : Development(Claim)
{
    /// <summary>What was agreed, in numbers, per category: the commitment its implementation is measured against.</summary>
    public IReadOnlyList<CategoryQuantity> Quantities { get; init; } = [];

    public FuzzyDate? Due { get; init; }

    public override IReadOnlyDictionary<string, string> Facts() =>
        With(With(base.Facts(), ("due", Due?.ToString())), CategoryQuantity.Facts(Quantities));


    [JsonIgnore]
    public override string Summary => $"Agreed: {Text}";
}

public abstract record ExchangeReported(Claim Claim, string Category, IReadOnlyList<Transfer> Transfers, string Text)
    : Development(Claim)
{
    /// <summary>The category a transfer names, or the exchange's.</summary>
    public string Category { get; init; } = RegisteredId.Normalise(Category);

    /// <summary>The agreement this exchange carries out, if the source ties it to one.</summary>
    public Implementation? Implements { get; init; }

    public string CategoryOf(Transfer transfer) => transfer.Category ?? Category;

    [JsonIgnore]
    public override string Summary => $"{Text}{(Transfers.Count == 0 ? "" : $" ({string.Join("; ", Transfers.Select(t => $"to {t.ToParty}: {t.Count?.ToString() ?? "number not given"}{(t.Category is null ? "" : $" {t.Category}")}"))})")}{(Implements is { } i ? $", carrying out {i.AgreementKey}{(i.Stage is { } n ? $" (stage {n})" : "")}" : "")}";

    public override IReadOnlyDictionary<string, string> Facts()
    {
        var facts = new Dictionary<string, string>(base.Facts()) { ["category"] = Category };
        foreach (var transfer in Transfers.Where(t => t.Count is not null))
        {
            facts[$"count-to-{transfer.ToParty}{(transfer.Category is null ? "" : $"-{transfer.Category}")}"] = transfer.Count!.ToString();
        }

        // Under way and completed are one exchange's lifecycle, not two sources' contradiction.
        facts["kind"] = "exchange";
        return facts;
    }
}

public sealed record ExchangeCompleted(Claim Claim, string Category, IReadOnlyList<Transfer> Transfers, string Text)
    : ExchangeReported(Claim, Category, Transfers, Text)
{
}

public sealed record ExchangeUnderway(Claim Claim, string Category, IReadOnlyList<Transfer> Transfers, string Text)
    : ExchangeReported(Claim, Category, Transfers, Text)
{
}

/// <summary>A party's stated position on a topic; the projection recognises a restatement by party and topic.</summary>
public sealed record PositionStated(Claim Claim, string Party, string Topic, string Position) : Development(Claim)
{

    [JsonIgnore]
    public override string Summary => $"{Party} on {Topic}: {Position}";

    public override IReadOnlyDictionary<string, string> Facts() => With(base.Facts(), ("party", Party), ("topic", Topic));
}

public sealed record MeetingHeld(
    Claim Claim,
    string? Round,
    string? Venue,
    string? Chair,
    string? Duration,
    IReadOnlyList<string> Participants,
    string Text) : Development(Claim)
{

    [JsonIgnore]
    public override string Summary => string.Join(", ", new[] { RoundText(Round), Venue, Chair is null ? null : $"chaired by {Chair}", Duration }.Where(s => s is not null)) is { Length: > 0 } details
        ? $"{Text} ({details})"
        : Text;

    /// <summary>"round 3" for a numbered round; any other name of a meeting as the source gives it.</summary>
    internal static string? RoundText(string? round) => round is null ? null : round.All(char.IsAsciiDigit) ? $"round {round}" : round;

    public override IReadOnlyDictionary<string, string> Facts() =>
        With(base.Facts(), ("round", Round), ("venue", Venue), ("chair", Chair), ("duration", Duration), ("kind", "meeting"));
}

public sealed record DelegationChanged(
    Claim Claim,
    string Party,
    string? Head,
    IReadOnlyList<string> Joined,
    IReadOnlyList<string> Left,
    int? SizeBefore,
    int? SizeAfter,
    string Text) : Development(Claim)
{

    [JsonIgnore]
    public override string Summary => $"{Party} delegation: {Text}";

    public override IReadOnlyDictionary<string, string> Facts() => With(
        base.Facts(),
        ("party", Party),
        ("head", Head),
        ("size-before", SizeBefore?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("size-after", SizeAfter?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}

public sealed record DocumentHandedOver(Claim Claim, string Document, string FromParty, string? ToParty, string Text) : Development(Claim)
{

    [JsonIgnore]
    public override string Summary => $"{FromParty} handed over {Document}{(ToParty is null ? "" : $" to {ToParty}")}: {Text}";

    public override IReadOnlyDictionary<string, string> Facts() => With(base.Facts(), ("from", FromParty), ("to", ToParty));
}

public sealed record AssessmentMade(Claim Claim, string? ByParty, Outlook Outlook, string Assessment) : Development(Claim)
{

    [JsonIgnore]
    public override string Summary => $"Assessment{(ByParty is null ? "" : $" by {ByParty}")}: {Assessment}";

    public override IReadOnlyDictionary<string, string> Facts() => With(base.Facts(), ("outlook", Tracks.Naming.Kebab(Outlook.ToString())));
}

public sealed record DeadlineSet(Claim Claim, string SetBy, FuzzyDate? Due, string Demand, string? Consequence) : Development(Claim)
{

    [JsonIgnore]
    public override string Summary => $"{SetBy} set a deadline{(Due is null ? "" : $" ({Due})")}: {Demand}{(Consequence is null ? "" : $"; otherwise {Consequence}")}";

    public override IReadOnlyDictionary<string, string> Facts() => With(base.Facts(), ("set-by", SetBy), ("due", Due?.ToString()));
}

/// <summary>A source corrected one of its own earlier reports; the corrected content is reported as a new claim.</summary>
public sealed record ReportCorrected(Claim Claim, Guid SupersededClaimId, string Correction) : Development(Claim)
{

    [JsonIgnore]
    public override string Summary => $"Correction: {Correction}";
}

/// <summary>A source withdrew one of its earlier reports.</summary>
public sealed record ReportRetracted(Claim Claim, Guid RetractedClaimId, string Reason) : Development(Claim)
{

    [JsonIgnore]
    public override string Summary => $"Retraction: {Reason}";
}

/// <summary>
/// A source's running total of what an agreement has delivered so far ("in total, 6,057 bodies"): compared with the
/// sum of the stages, never added to the totals. <see cref="Complete"/> is the source's claim that it is finished.
/// </summary>
public sealed record TotalReported(Claim Claim, string AgreementKey, string Category, IReadOnlyList<Transfer> Transfers, bool Complete, string Text) : Development(Claim)
{
    [JsonIgnore]
    public override string Summary => Transfers.Count == 0
        ? $"{(Complete ? "Said to be complete" : "A running total without a figure")}: '{AgreementKey}' ({Text})"
        : $"In total under '{AgreementKey}': {string.Join("; ", Transfers.Select(t => $"to {t.ToParty}: {t.Count?.ToString() ?? "number not given"} {t.Category ?? Category}"))}{(Complete ? " — said to be complete" : "")} ({Text})";

    // A source that gives no figure, or does not say whether it is finished, says nothing to dispute on those points.
    public override IReadOnlyDictionary<string, string> Facts() => With(
        base.Facts(),
        ("total", Transfers.Any(t => t.Count is not null) ? string.Join("; ", Transfers.Where(t => t.Count is not null).Select(t => $"{t.ToParty}:{t.Count}")) : null),
        ("complete", Complete ? "yes" : null));
}

/// <summary>A telephone or video call between leaders or officials.</summary>
public sealed record CallHeld(Claim Claim, IReadOnlyList<string> Participants, string Text) : Development(Claim)
{
    [JsonIgnore]
    public override string Summary => Participants.Count == 0 ? $"Call: {Text}" : $"Call between {string.Join(" and ", Participants)}: {Text}";
}

/// <summary>A summit, such as one between a party and a third country, beyond the rounds of the negotiation itself.</summary>
public sealed record SummitHeld(Claim Claim, string? Venue, IReadOnlyList<string> Participants, string Text) : Development(Claim)
{
    [JsonIgnore]
    public override string Summary => $"Summit{(Participants.Count == 0 ? "" : $" of {string.Join(" and ", Participants)}")}{(Venue is null ? "" : $" in {Venue}")}: {Text}";

    public override IReadOnlyDictionary<string, string> Facts() => With(base.Facts(), ("venue", Venue));
}

/// <summary>A side's statement to the press: what it said in public, as opposed to what it proposed or agreed.</summary>
public sealed record StatementMade(Claim Claim, string By, string Text) : Development(Claim)
{
    [JsonIgnore]
    public override string Summary => $"{By} said: {Text}";
}

/// <summary>A meeting announced or scheduled; when it is held, the held meeting's reports share its key.</summary>
public sealed record MeetingPlanned(Claim Claim, string? Venue, FuzzyDate? PlannedFor, string? LedBy, IReadOnlyList<string> Participants, string? Round, string Text) : Development(Claim)
{
    [JsonIgnore]
    public override string Summary => string.Join(", ", new[] { MeetingHeld.RoundText(Round), Venue, PlannedFor is null ? null : $"planned for {PlannedFor}", LedBy is null ? null : $"led by {LedBy}" }.Where(s => s is not null)) is { Length: > 0 } details
        ? $"Planned: {Text} ({details})"
        : $"Planned: {Text}";

    // A planned venue or date is compared with the held meeting's, not disputed with it.
    public override IReadOnlyDictionary<string, string> Facts() => With(base.Facts(), ("kind", "meeting"), ("round", Round));
}

/// <summary>A mediator's or a third party's call to the sides.</summary>
public sealed record AppealMade(Claim Claim, string By, IReadOnlyList<string> To, string Text) : Development(Claim)
{
    [JsonIgnore]
    public override string Summary => $"{By} called on {(To.Count == 0 ? "the sides" : string.Join(" and ", To))}: {Text}";

    public override IReadOnlyDictionary<string, string> Facts() => With(base.Facts(), ("by", By));
}

/// <summary>One side alleges that another violated something agreed or owed.</summary>
public sealed record AllegationMade(Claim Claim, string By, string Against, string Text) : Development(Claim)
{
    [JsonIgnore]
    public override string Summary => $"{By} alleges {Against}: {Text}";

    public override IReadOnlyDictionary<string, string> Facts() => With(base.Facts(), ("by", By), ("against", Against));
}

/// <summary>
/// Two developments that assert incompatible states of the same thing ("preparations for a meeting are under way"
/// against "no meeting is planned"), linked as contradicting each other. The link has its own provenance: the source
/// and quote that show the contradiction. Status shows the pair as a dispute.
/// </summary>
public sealed record ContradictionNoted(Claim Claim, IReadOnlyList<string> Between, string Text) : Development(Claim)
{
    [JsonIgnore]
    public override string Summary => $"Contradiction between {string.Join(" and ", Between)}: {Text}";
}
