using Ledger.Domain.Developments;

namespace Ledger.Domain.Recording;

// What the recorder (the person or program coding reports into the ledger) did to the ledger's own record, as
// opposed to what a source said: a source's correction or retraction is a development; a coding fix is a revision.

/// <summary>One field of a report that a revision changed; values as JSON text, null where the field was absent.</summary>
public sealed record FieldChange(string Field, string? Before, string? After)
{
    public override string ToString() => $"{Field}: {Before ?? "(none)"} → {After ?? "(none)"}";
}

/// <summary>
/// The recorder re-coded a report already in the ledger: the same source and quote, read differently (a count, a
/// date, a kind, a track, a text). <see cref="RevisesEvent"/> is the event whose content this replaces, so the
/// chain back to the first recording can be followed.
/// </summary>
public sealed record ReportRevised(
    Guid ClaimId,
    Development Before,
    Development After,
    IReadOnlyList<FieldChange> Changes,
    Guid RevisesEvent,
    string RevisedBy,
    DateTimeOffset RevisedAt,
    string? Reason);

/// <summary>The recorder took a report out of the ledger (it was coded by mistake); the source said nothing new.</summary>
public sealed record ReportWithdrawn(
    Guid ClaimId,
    Development Withdrawn,
    Guid WithdrawsEvent,
    string WithdrawnBy,
    DateTimeOffset WithdrawnAt,
    string Reason);
