namespace Ledger.Domain.Tracks;

/// <summary>How one item of a track's status moved between two dates.</summary>
public enum ChangeKind
{
    Added,
    Changed,
    Lapsed,
    DisputeOpened,
    DisputeSettled,
    Removed,
}

/// <summary>
/// One item that is new, different or gone in the later status: its section (phase, positions, proposals, agreements,
/// exchanges, totals, meetings, developments, disputes), its key within the section, what it read before and after,
/// and the claims behind the later reading (for an item that is gone or a dispute settled: behind the earlier one).
/// </summary>
public sealed record StatusChange(ChangeKind Kind, string Section, string Key, string? Was, string? Now, IReadOnlyList<Evidence> Evidence);

/// <summary>What changed on one track between the status as of one date and the status as of a later one.</summary>
public sealed record TrackChanges(string NegotiationId, string TrackId, Phase PhaseBefore, Phase PhaseAfter, IReadOnlyList<StatusChange> Changes)
{
    public bool PhaseChanged => PhaseBefore != PhaseAfter;
}

/// <summary>
/// Compares two statuses of one track, field by field. Only what a reader would call a change counts: an open
/// proposal's count of days open grows every day and is not a change; it lapsing is.
/// </summary>
public static class TrackChangesBetween
{
    public static TrackChanges Compare(TrackStatus before, TrackStatus after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<StatusChange>();
        if (before.Phase.Value != after.Phase.Value || before.Phase.Alternative != after.Phase.Alternative)
        {
            changes.Add(new StatusChange(ChangeKind.Changed, "phase", "phase", PhaseText(before.Phase), PhaseText(after.Phase), [.. after.Phase.Evidence, .. after.Phase.AlternativeEvidence]));
        }

        Items(changes, "positions", before.Positions, after.Positions, p => $"{p.Party}.{p.Topic}", p => $"{p.Party}: {p.Position}", p => p.DevelopmentKey, p => p.Evidence, _ => null);
        Items(changes, "proposals", before.Proposals, after.Proposals, p => p.DevelopmentKey, p => $"{Naming.Words(p.State.ToString())}: {p.Text}", p => p.Text, p => [.. p.Evidence, .. p.Responses.SelectMany(r => r.Evidence)], p => p.Lapsed);
        Items(changes, "agreements", before.Agreements, after.Agreements, a => a.DevelopmentKey, a => a.Text, a => a.Text, a => a.Evidence, _ => null);
        Items(changes, "exchanges", before.Exchanges, after.Exchanges, e => e.DevelopmentKey, e => $"{e.Text} ({string.Join("; ", e.Transfers.Select(t => $"{t.Count?.ToString() ?? "number not given"} to {t.ToParty}"))})", e => e.Text, e => e.Evidence, _ => null);
        Items(changes, "totals", before.Totals, after.Totals, t => $"{t.Category}.to-{t.ToParty}", t => $"{t} {t.Category} to {t.ToParty}", t => t.ToString(), t => t.Evidence, _ => null);
        Items(changes, "meetings", before.Meetings, after.Meetings, m => m.DevelopmentKey, MeetingText, m => m.HeldOn ?? "", m => m.Evidence, m => m.Lapsed);
        Items(changes, "developments", before.Other, after.Other, o => o.DevelopmentKey, o => o.Summary, o => o.Summary, o => o.Evidence, o => o.Lapsed);

        var disputesBefore = before.Disputes.ToDictionary(d => $"{d.DevelopmentKey}.{d.Fact}", StringComparer.Ordinal);
        var disputesAfter = after.Disputes.ToDictionary(d => $"{d.DevelopmentKey}.{d.Fact}", StringComparer.Ordinal);
        foreach (var (key, dispute) in disputesAfter.Where(d => !disputesBefore.ContainsKey(d.Key)))
        {
            changes.Add(new StatusChange(ChangeKind.DisputeOpened, "disputes", key, null, DisputeText(dispute), [.. dispute.Versions.SelectMany(v => v.Evidence)]));
        }

        foreach (var (key, dispute) in disputesBefore.Where(d => !disputesAfter.ContainsKey(d.Key)))
        {
            changes.Add(new StatusChange(ChangeKind.DisputeSettled, "disputes", key, DisputeText(dispute), null, [.. dispute.Versions.SelectMany(v => v.Evidence)]));
        }

        return new TrackChanges(after.NegotiationId, after.TrackId, before.Phase.Value, after.Phase.Value, changes);
    }

    /// <summary>
    /// Items present later and not before are added; present in both with another <paramref name="identity"/> (what
    /// makes the item read differently, leaving out what moves by itself with the date) are changed; a lapse that
    /// appears is a lapse; items gone later are removed (a report corrected or retracted in between).
    /// </summary>
    private static void Items<T>(
        List<StatusChange> changes,
        string section,
        IReadOnlyList<T> before,
        IReadOnlyList<T> after,
        Func<T, string> key,
        Func<T, string> text,
        Func<T, string> identity,
        Func<T, IReadOnlyList<Evidence>> evidence,
        Func<T, Lapse?> lapse)
    {
        var earlier = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in before)
        {
            earlier.TryAdd(key(item), item);
        }

        var later = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in after)
        {
            var k = key(item);
            if (!later.Add(k))
            {
                continue;
            }

            if (!earlier.TryGetValue(k, out var was))
            {
                changes.Add(new StatusChange(ChangeKind.Added, section, k, null, text(item), evidence(item)));
            }
            else if (lapse(was) is null && lapse(item) is { } lapsed)
            {
                changes.Add(new StatusChange(ChangeKind.Lapsed, section, k, text(was), $"{text(item)} (lapsed since {lapsed.Since:yyyy-MM-dd}, due {lapsed.Due})", evidence(item)));
            }
            else if (identity(was) != identity(item) || text(was) != text(item))
            {
                changes.Add(new StatusChange(ChangeKind.Changed, section, k, text(was), text(item), evidence(item)));
            }
        }

        foreach (var (k, was) in earlier.Where(e => !later.Contains(e.Key)))
        {
            changes.Add(new StatusChange(ChangeKind.Removed, section, k, text(was), null, evidence(was)));
        }
    }

    private static string PhaseText(PhaseField phase) =>
        phase.Alternative is { } other ? $"{Naming.Words(phase.Value.ToString())} (disputed: {Naming.Words(other.ToString())})" : Naming.Words(phase.Value.ToString());

    private static string MeetingText(MeetingView m) =>
        m.HeldOn is not null ? $"held {m.HeldOn}{(m.HeldVenue is null ? "" : $" in {m.HeldVenue}")}"
        : $"planned{(m.PlannedVenue is null ? "" : $" in {m.PlannedVenue}")}{(m.PlannedFor is null ? "" : $" for {m.PlannedFor}")}";

    private static string DisputeText(DisputeView d) =>
        string.Join(" | ", d.Versions.Select(v => $"{v.Value} ({string.Join(", ", v.Evidence.Select(e => e.SourceId).Distinct())})"));
}
