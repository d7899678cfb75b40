using Ledger.Domain.Developments;

namespace Ledger.Domain.Tracks;

public enum Phase
{
    NoContact,
    Discussed,
    Proposed,
    UnderConsideration,
    Stalled,
    Rejected,
    Agreed,
    InProgress,
    Completed,
}

/// <summary>A source's claim behind a status field: the claim id (the event's id in audits) and its source.</summary>
public sealed record Evidence(Guid ClaimId, string SourceId, string DevelopmentKey, DateOnly Published)
{
    /// <summary>The party whose own assertion the source presents this as, if it does.</summary>
    public string? AssertedBy { get; init; }
}

/// <summary>
/// How many independent sources report a development: republications of one outlet, and verbatim copies of one text
/// in several outlets, count once.
/// </summary>
public sealed record CorroborationView(string DevelopmentKey, int Reports, int IndependentSources, IReadOnlyList<string> Outlets);

/// <summary>
/// The phase of a track. When sources disagree on a development that decides it, <see cref="Alternative"/>
/// holds the phase the other reading gives, with the claims for each reading.
/// </summary>
public sealed record PhaseField(Phase Value, IReadOnlyList<Evidence> Evidence, Phase? Alternative, IReadOnlyList<Evidence> AlternativeEvidence)
{
    public bool Disputed => Alternative is not null;
}

public sealed record PositionView(
    string Party,
    string Topic,
    string Position,
    string DevelopmentKey,
    string Occurred,
    bool Restated,
    IReadOnlyList<string> EarlierDevelopments,
    IReadOnlyList<Evidence> Evidence)
{
    /// <summary>Each wording of the latest statement with its sources, when its reports word it differently.</summary>
    public IReadOnlyList<DisputedVersion> Versions { get; init; } = [];
}

public sealed record ResponseView(string DevelopmentKey, string Party, ProposalResponse Response, string Text, IReadOnlyList<Evidence> Evidence)
{
    /// <summary>Each wording of the answer with its sources, when its reports word it differently.</summary>
    public IReadOnlyList<DisputedVersion> Versions { get; init; } = [];
}

public enum ProposalState
{
    Open,
    UnderConsideration,
    Accepted,
    Rejected,
    Countered,
    PartlyAccepted,
    Welcomed,
    NotYetAccepted,
    /// <summary>A source says there has been no answer.</summary>
    Unanswered,
}

/// <summary>An item due by a date that passed, as of the date asked, with nothing that fulfils it.</summary>
public sealed record Lapse(string Due, DateOnly Since);

public sealed record ProposalView(
    string DevelopmentKey,
    string ProposedBy,
    string Text,
    string Occurred,
    ProposalState State,
    IReadOnlyList<ResponseView> Responses,
    IReadOnlyList<Evidence> Evidence)
{
    public bool IsOpen => State is ProposalState.Open or ProposalState.UnderConsideration or ProposalState.Countered
        or ProposalState.Welcomed or ProposalState.NotYetAccepted or ProposalState.Unanswered;

    public IReadOnlyList<CategoryQuantity> Quantities { get; init; } = [];

    /// <summary>Each version of the proposal's text with its sources, when its reports differ; the headline follows <see cref="TrackStatus.HeadlineRule"/>.</summary>
    public IReadOnlyList<DisputedVersion> Versions { get; init; } = [];

    /// <summary>The due date as the proposal gives it.</summary>
    public string? Due { get; init; }

    /// <summary>Days from the proposal to the date asked, while it stands without an acceptance or rejection.</summary>
    public int? OpenForDays { get; init; }

    public Lapse? Lapsed { get; init; }
}

public sealed record AgreementView(string DevelopmentKey, IReadOnlyList<string> Parties, string Text, string Occurred, IReadOnlyList<Evidence> Evidence)
{
    /// <summary>Each version with its sources, when the reports differ.</summary>
    public IReadOnlyList<DisputedVersion> Versions { get; init; } = [];

    public IReadOnlyList<CategoryQuantity> Quantities { get; init; } = [];

    public string? Due { get; init; }
}

/// <summary>One stage of carrying out an agreement: an exchange that names it, with its sources.</summary>
public sealed record StageView(string DevelopmentKey, int? Stage, string Kind, string Occurred, IReadOnlyList<Transfer> Transfers, string Category, IReadOnlyList<Evidence> Evidence);

/// <summary>
/// What the completed stages add up to for one category and receiving party, and how that stands against the
/// commitment. <see cref="CarriedOut"/> is null when no source reports a completed stage in that direction: nothing
/// reported is not zero done.
/// </summary>
public sealed record FulfilmentView(string Category, string ToParty, ExchangeTotal? CarriedOut, Quantity? Committed)
{
    /// <summary>Carried out as a share of the commitment (1.0 = all of it), where both are numbers.</summary>
    public double? Ratio => CarriedOut is not null && Committed is { HasNumber: true, Value: > 0 } ? (double)CarriedOut.Min / Committed.Value : null;

    public override string ToString() => CarriedOut is null
        ? $"no completed stage reported{(Committed is null ? "" : $" of {Committed}")} {Category} to {ToParty}"
        : Committed is null
            ? $"{CarriedOut} {Category} to {ToParty}"
            : $"{CarriedOut} of {Committed} {Category} to {ToParty}{(Ratio is { } r ? $" ({r:P0})" : "")}";
}

/// <summary>A source's running total, shown beside the sum of the stages and never added to it.</summary>
public sealed record ReportedTotalView(string DevelopmentKey, string Category, IReadOnlyList<Transfer> Transfers, bool Complete, string Occurred, IReadOnlyList<Evidence> Evidence);

/// <summary>An agreement with what it committed to, the stages that carry it out, and how far they go.</summary>
public sealed record CommitmentView(
    string AgreementKey,
    string Text,
    string Occurred,
    IReadOnlyList<CategoryQuantity> Committed,
    IReadOnlyList<StageView> Stages,
    IReadOnlyList<FulfilmentView> Fulfilment,
    IReadOnlyList<ReportedTotalView> ReportedTotals,
    IReadOnlyList<Evidence> Evidence)
{
    /// <summary>Claims that the implementation is finished (a running total said to be complete), beside the computed figure.</summary>
    public IReadOnlyList<Evidence> CompletionClaimed => [.. ReportedTotals.Where(t => t.Complete).SelectMany(t => t.Evidence)];
}

/// <summary>A meeting planned, and the meeting held under the same key, with what changed between plan and event.</summary>
public sealed record MeetingView(string DevelopmentKey, string? PlannedVenue, string? PlannedFor, string? HeldVenue, string? HeldOn, IReadOnlyList<string> Changed, IReadOnlyList<Evidence> Evidence)
{
    public Lapse? Lapsed { get; init; }
}

public sealed record ExchangeView(
    string DevelopmentKey,
    string Kind,
    string Category,
    string Text,
    string Occurred,
    IReadOnlyList<Transfer> Transfers,
    IReadOnlyList<Evidence> Evidence)
{
    public Implementation? Implements { get; init; }

    /// <summary>Each version (text and counts) with its sources, when the reports differ.</summary>
    public IReadOnlyList<DisputedVersion> Versions { get; init; } = [];
}

/// <summary>
/// Running total of completed exchanges of one category received by one party. When sources give
/// different counts for an exchange the total becomes a range; qualifiers ("at least", "about") carry over.
/// </summary>
public sealed record ExchangeTotal(string Category, string ToParty, int Min, int Max, bool Approximate, bool LowerBound, IReadOnlyList<Evidence> Evidence)
{
    public override string ToString()
    {
        var range = Min == Max ? $"{Min:N0}" : $"{Min:N0}–{Max:N0}";
        return LowerBound ? $"at least {range}" : Approximate ? $"about {range}" : range;
    }
}

public sealed record DevelopmentNote(string DevelopmentKey, string Kind, string Summary, string Occurred, IReadOnlyList<Evidence> Evidence)
{
    /// <summary>For a deadline whose date has passed as of the date asked.</summary>
    public Lapse? Lapsed { get; init; }

    /// <summary>Each version of what the reports say, with its sources, when they differ.</summary>
    public IReadOnlyList<DisputedVersion> Versions { get; init; } = [];
}

/// <summary>One version of a disputed fact, with the claims (and so the sources) that give it.</summary>
public sealed record DisputedVersion(string Value, IReadOnlyList<Evidence> Evidence);

public sealed record DisputeView(string DevelopmentKey, string Fact, IReadOnlyList<DisputedVersion> Versions);

public sealed record LastChange(string Occurred, IReadOnlyList<string> DevelopmentKeys, IReadOnlyList<Evidence> Evidence);

/// <summary>The status of one track, every field linked to the claims behind it.</summary>
public sealed record TrackStatus(
    string NegotiationId,
    string TrackId,
    PhaseField Phase,
    IReadOnlyList<PositionView> Positions,
    IReadOnlyList<ProposalView> Proposals,
    IReadOnlyList<AgreementView> Agreements,
    IReadOnlyList<ExchangeView> Exchanges,
    IReadOnlyList<ExchangeTotal> Totals,
    IReadOnlyList<DevelopmentNote> Other,
    IReadOnlyList<DisputeView> Disputes,
    LastChange? LastChange,
    int ClaimCount,
    IReadOnlyList<Guid> SupersededClaims)
{
    public IEnumerable<ProposalView> OpenProposals => Proposals.Where(p => p.IsOpen);

    /// <summary>Each agreement of the track with its implementation: committed, carried out stage by stage, fulfilment, sources' running totals.</summary>
    public IReadOnlyList<CommitmentView> Commitments { get; init; } = [];

    /// <summary>Meetings planned, with the meeting held where there was one.</summary>
    public IReadOnlyList<MeetingView> Meetings { get; init; } = [];

    /// <summary>
    /// How a row shown for a development whose reports differ picks the version it headlines; every version is listed
    /// with its sources beside it.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "An instance property so that every status answer carries the rule it was built by.")]
    public string HeadlineRule => "where reports differ, the headline is the version with the most independent sources, then the most recently published; every version is listed";

    /// <summary>Per development, its reports and how many independent sources they come from.</summary>
    public IReadOnlyList<CorroborationView> Corroboration { get; init; } = [];

    /// <summary>The date "as of" which elapsed time and lapses are worked out.</summary>
    public DateOnly? Reference { get; init; }

    /// <summary>
    /// Null when every development of the track is listed. For a long track, the lists (proposals, agreements,
    /// exchanges, other developments, disputes) hold only the developments among its latest reports; the phase,
    /// positions, totals, claim count and last change are still those of the whole track.
    /// </summary>
    public StatusWindow? Window { get; init; }

    /// <summary>
    /// Every field of the status as an addressable path with its value and evidence: what <c>audit</c>
    /// follows from a field down to the quotes.
    /// </summary>
    public IEnumerable<StatusField> Fields()
    {
        yield return new StatusField("phase", Phase.Disputed ? $"{Phase.Value} (disputed: {Phase.Alternative})" : Phase.Value.ToString(), [.. Phase.Evidence, .. Phase.AlternativeEvidence]);
        foreach (var p in Positions)
        {
            yield return new StatusField($"positions.{p.Party}.{p.Topic}", p.Restated ? $"{p.Position} (restated)" : p.Position, p.Evidence);
            foreach (var (v, i) in p.Versions.Select((v, i) => (v, i)))
            {
                yield return new StatusField($"positions.{p.Party}.{p.Topic}.versions[{i}]", v.Value, v.Evidence);
            }
        }

        foreach (var p in Proposals)
        {
            var details = new List<string>();
            if (p.Quantities.Count > 0)
            {
                details.Add(string.Join("; ", p.Quantities));
            }

            if (p.Due is { } due)
            {
                details.Add($"due {due}");
            }

            if (p.OpenForDays is { } days)
            {
                details.Add($"open {days} days");
            }

            if (p.Lapsed is { } lapse)
            {
                details.Add($"lapsed since {lapse.Since:yyyy-MM-dd}");
            }

            var answers = p.Responses.Count == 0 ? "" : $" — {string.Join("; ", p.Responses.Select(r => $"{r.Party}: {Naming.Words(r.Response.ToString())}"))}";
            foreach (var (v, i) in p.Versions.Select((v, i) => (v, i)))
            {
                yield return new StatusField($"proposals.{p.DevelopmentKey}.versions[{i}]", v.Value, v.Evidence);
            }

            yield return new StatusField(
                $"proposals.{p.DevelopmentKey}",
                $"{Naming.Words(p.State.ToString())}: {p.Text}{(details.Count == 0 ? "" : $" ({string.Join(", ", details)})")}{answers}",
                [.. p.Evidence, .. p.Responses.SelectMany(r => r.Evidence)]);
        }

        foreach (var a in Agreements)
        {
            var details = string.Join(", ", new[] { a.Quantities.Count == 0 ? null : string.Join("; ", a.Quantities), a.Due is null ? null : $"due {a.Due}" }.Where(d => d is not null));
            yield return new StatusField($"agreements.{a.DevelopmentKey}", details.Length == 0 ? a.Text : $"{a.Text} ({details})", a.Evidence);
            foreach (var (v, i) in a.Versions.Select((v, i) => (v, i)))
            {
                yield return new StatusField($"agreements.{a.DevelopmentKey}.versions[{i}]", v.Value, v.Evidence);
            }
        }

        foreach (var e in Exchanges)
        {
            var counts = string.Join("; ", e.Transfers.Select(t => $"{t.Count?.ToString() ?? "number not given"} {t.Category ?? e.Category} to {t.ToParty}"));
            var implements = e.Implements is { } carried ? $", carries out {carried.AgreementKey}{(carried.Stage is { } n ? $" stage {n}" : "")}" : "";
            yield return new StatusField($"exchanges.{e.DevelopmentKey}", $"{Naming.Words(e.Kind)}, {e.Occurred}: {e.Text}{(counts.Length + implements.Length == 0 ? "" : $" ({(counts.Length == 0 ? implements.TrimStart(',', ' ') : counts + implements)})")}", e.Evidence);
            foreach (var (v, i) in e.Versions.Select((v, i) => (v, i)))
            {
                yield return new StatusField($"exchanges.{e.DevelopmentKey}.versions[{i}]", v.Value, v.Evidence);
            }
        }

        foreach (var t in Totals)
        {
            yield return new StatusField($"totals.{t.Category}.to-{t.ToParty}", t.ToString(), t.Evidence);
        }

        foreach (var c in Commitments)
        {
            foreach (var f in c.Fulfilment)
            {
                yield return new StatusField($"commitments.{c.AgreementKey}.{f.Category}.to-{f.ToParty}", f.ToString(), f.CarriedOut is null ? c.Evidence : [.. c.Evidence, .. f.CarriedOut.Evidence]);
            }

            foreach (var t in c.ReportedTotals)
            {
                var figure = string.Join("; ", t.Transfers.Select(x => $"{x.Count} to {x.ToParty}"));
                yield return new StatusField(
                    $"commitments.{c.AgreementKey}.reported-totals.{t.DevelopmentKey}",
                    figure.Length == 0 ? "said to be complete, no figure given" : figure + (t.Complete ? " (said to be complete)" : ""),
                    t.Evidence);
            }
        }

        foreach (var m in Meetings)
        {
            var planned = string.Join(", ", new[] { m.PlannedVenue, m.PlannedFor is null ? null : $"for {m.PlannedFor}" }.Where(x => x is not null));
            var outcome = m.HeldOn is not null
                ? m.Changed.Count == 0 ? $"held {m.HeldOn} as planned" : $"held {m.HeldOn}; changed: {string.Join(", ", m.Changed)}"
                : m.Lapsed is { } lapse ? $"not held; lapsed since {lapse.Since:yyyy-MM-dd}" : "not held yet";
            yield return new StatusField($"meetings.{m.DevelopmentKey}", $"planned{(planned.Length == 0 ? "" : $" ({planned})")}: {outcome}", m.Evidence);
        }

        foreach (var o in Other)
        {
            yield return new StatusField($"developments.{o.DevelopmentKey}", o.Lapsed is { } lapse ? $"{o.Summary} (lapsed since {lapse.Since:yyyy-MM-dd})" : o.Summary, o.Evidence);
            foreach (var (v, i) in o.Versions.Select((v, i) => (v, i)))
            {
                yield return new StatusField($"developments.{o.DevelopmentKey}.versions[{i}]", v.Value, v.Evidence);
            }
        }

        foreach (var d in Disputes)
        {
            yield return new StatusField(
                $"disputes.{d.DevelopmentKey}.{d.Fact}",
                string.Join(" | ", d.Versions.Select(v => $"{v.Value} ({string.Join(", ", v.Evidence.Select(e => e.SourceId).Distinct())})")),
                [.. d.Versions.SelectMany(v => v.Evidence)]);
        }

        if (LastChange is not null)
        {
            yield return new StatusField("last-change", $"{LastChange.Occurred}: {string.Join(", ", LastChange.DevelopmentKeys)}", LastChange.Evidence);
        }
    }
}

/// <summary>The lists of a long track's status show the <see cref="Developments"/> developments among its latest <see cref="Reports"/> reports, which occurred from <see cref="From"/> on.</summary>
public sealed record StatusWindow(int Reports, DateOnly From, int Developments)
{
    /// <summary>The date of the earliest development shown, as its source gives it ("before 2025-10-26", "2025-10"): <see cref="From"/> is the last day it allows.</summary>
    public string? FromAsReported { get; init; }
}

public sealed record StatusField(string Path, string Value, IReadOnlyList<Evidence> Evidence);

public static class Naming
{
    /// <summary><c>PrisonersOfWar</c> → <c>prisoners-of-war</c>.</summary>
    public static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary><c>UnderConsideration</c> or <c>under-consideration</c> → <c>under consideration</c>: how people read it.</summary>
    public static string Words(string name) => Kebab(name).Replace('-', ' ');
}
