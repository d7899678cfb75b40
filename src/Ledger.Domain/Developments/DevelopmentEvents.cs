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
        var saidBy = Claim.Provenance.SaidBy;
        if (saidBy?.Actor is { } actor)
        {
            facts["said-by"] = actor;
        }
        else if (saidBy?.AsNamed is { } named)
        {
            facts["said-by"] = named;
        }

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
}

public enum ExchangeCategory
{
    PrisonersOfWar,
    Bodies,
    Civilians,
    Children,
}

public enum QuantityQualifier
{
    Exactly,
    AtLeast,
    MoreThan,
    About,
    UpTo,
}

/// <summary>A number as a source gives it, qualifier kept: "at least 1,200", "about 30", "more than 7 thousand".</summary>
public sealed record Quantity(int Value, QuantityQualifier Qualifier = QuantityQualifier.Exactly)
{
    public override string ToString() => Qualifier switch
    {
        QuantityQualifier.AtLeast => $"at least {Value:N0}",
        QuantityQualifier.MoreThan => $"more than {Value:N0}",
        QuantityQualifier.About => $"about {Value:N0}",
        QuantityQualifier.UpTo => $"up to {Value:N0}",
        _ => $"{Value:N0}",
    };

    /// <summary>Reads "1,200", "at least 1,000", "about 30": a whole number of zero or more after an optional qualifier.</summary>
    public static bool TryParse(string text, out Quantity? quantity)
    {
        quantity = null;
        var s = text.Trim();
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

/// <summary>People or remains handed over to a party in an exchange; <see cref="Count"/> is null when the source gives none.</summary>
public sealed record Transfer(string ToParty, Quantity? Count);

public enum Outlook
{
    Neutral,
    Progressing,
    FarApart,
    Stalled,
}

public sealed record ProposalMade(Claim Claim, string ProposedBy, string? ProposedTo, string Text) : Development(Claim)
{

    [JsonIgnore]
    public override string Summary => $"{ProposedBy} proposed: {Text}";

    public override IReadOnlyDictionary<string, string> Facts() => With(base.Facts(), ("proposed-by", ProposedBy));
}

public sealed record ProposalAnswered(Claim Claim, string ProposalKey, string RespondingParty, ProposalResponse Response, string Text)
    : Development(Claim)
{

    [JsonIgnore]
    public override string Summary => $"{RespondingParty} {ResponseText}: {Text}";

    private string ResponseText => Response switch
    {
        ProposalResponse.Accepted => "accepted",
        ProposalResponse.Rejected => "rejected",
        ProposalResponse.Countered => "countered",
        _ => "will consider",
    };

    public override IReadOnlyDictionary<string, string> Facts() =>
        With(base.Facts(), ("response", Tracks.Naming.Kebab(Response.ToString())), ("responding-party", RespondingParty));
}

public sealed record AgreementReached(Claim Claim, IReadOnlyList<string> Parties, string Text) : Development(Claim)
{

    [JsonIgnore]
    public override string Summary => $"Agreed: {Text}";
}

public abstract record ExchangeReported(Claim Claim, ExchangeCategory Category, IReadOnlyList<Transfer> Transfers, string Text)
    : Development(Claim)
{
    [JsonIgnore]
    public override string Summary => $"{Text} ({string.Join("; ", Transfers.Select(t => $"to {t.ToParty}: {t.Count?.ToString() ?? "number not given"}"))})";

    public override IReadOnlyDictionary<string, string> Facts()
    {
        var facts = new Dictionary<string, string>(base.Facts()) { ["category"] = Tracks.Naming.Kebab(Category.ToString()) };
        foreach (var transfer in Transfers.Where(t => t.Count is not null))
        {
            facts[$"count-to-{transfer.ToParty}"] = transfer.Count!.ToString();
        }

        return facts;
    }
}

public sealed record ExchangeCompleted(Claim Claim, ExchangeCategory Category, IReadOnlyList<Transfer> Transfers, string Text)
    : ExchangeReported(Claim, Category, Transfers, Text)
{
}

public sealed record ExchangeUnderway(Claim Claim, ExchangeCategory Category, IReadOnlyList<Transfer> Transfers, string Text)
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
    public override string Summary => string.Join(", ", new[] { Round is null ? null : $"round {Round}", Venue, Chair is null ? null : $"chaired by {Chair}", Duration }.Where(s => s is not null)) is { Length: > 0 } details
        ? $"{Text} ({details})"
        : Text;

    public override IReadOnlyDictionary<string, string> Facts() =>
        With(base.Facts(), ("round", Round), ("venue", Venue), ("chair", Chair), ("duration", Duration));
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
