using Ledger.Audit;
using Ledger.Domain.Developments;
using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Marten;
using Marten.Services.BatchQuerying;

namespace Ledger.Tracks;

/// <summary>
/// The status of a track with more reports than fit in one window, without replaying its history. SQL picks out the
/// claims the status needs — the latest reports, the latest reports of each kind that moves the phase, the latest
/// statements on each subject, every other report of those developments, and the corrections of them — and adds up
/// the track's totals and claim count; the fold then runs over that selection only. Lists show the developments
/// among the latest reports (<see cref="StatusWindow"/>); phase, positions, totals, claim count and last change are
/// those of the whole track. When the selection cannot prove a headline field (an old development that might still
/// decide it), the track is folded whole instead, so the answer is never a guess.
/// </summary>
public static class LongTrackStatus
{
    /// <summary>The latest reports of each phase-moving kind read for the phase.</summary>
    private const int PhaseCandidates = 4;

    /// <summary>The latest statements per party and topic read for positions: enough to tell a restatement when several sources report each.</summary>
    private const int StatementsPerSubject = 6;

    /// <summary>Claims behind a total named in the status, latest first.</summary>
    private const int TotalEvidence = 20;

    private static readonly string[] PhaseKinds =
        ["proposal-made", "proposal-answered", "agreement-reached", "exchange-underway", "exchange-completed", "assessment-made"];

    /// <summary>
    /// <paramref name="window"/> holds the track's latest visible reports (not corrections), newest first, one more
    /// than the window's size: the last one only marks where the window ends.
    /// </summary>
    internal static async Task<TrackStatus?> TryFoldAsync(
        IQuerySession session,
        string negotiationId,
        string trackId,
        TimeAxes axes,
        IReadOnlyList<Development> window,
        int windowSize,
        CancellationToken ct,
        DateOnly? reference = null)
    {
        var asOf = axes.AsOf ?? DateOnly.MaxValue;
        var knownOn = axes.KnownOn ?? DateOnly.MaxValue;
        var windowEnd = window[^1].Claim.Provenance.Occurred.Latest;
        var recent = window.Take(windowSize).ToList();

        var batch = session.CreateBatchQuery();
        var table = TrackQueries.ClaimTable(session);
        // The subjects are walked through the index one by one (a loose index scan), and each gives its latest few
        // statements and any others of the same day as the last of those, so what is not read is strictly older.
        var statements = batch.Query<Development>(
            $"""
            with recursive subjects as (
              (select subject from {table} where negotiation_id = ? and track_id = ? and subject is not null order by subject limit 1)
              union all
              select (select t.subject from {table} as t
                      where t.negotiation_id = ? and t.track_id = ? and t.subject > s.subject order by t.subject limit 1)
              from subjects as s where s.subject is not null
            )
            select latest.development from subjects as s
            {LatestWithTheirDay(table, "subject = s.subject", StatementsPerSubject)}
            where s.subject is not null
            """,
            negotiationId, trackId, negotiationId, trackId, negotiationId, trackId, asOf, knownOn, negotiationId, trackId, asOf, knownOn);
        // The latest few reports of each kind that can move the phase, with the rest of the day of the last of them.
        var phaseQuery = batch.Query<Development>(
            $"""
            select latest.development from unnest(?::text[]) as k(kind)
            {LatestWithTheirDay(table, "kind = k.kind", PhaseCandidates)}
            """,
            PhaseKinds, negotiationId, trackId, asOf, knownOn, negotiationId, trackId, asOf, knownOn);
        var aggregatesQuery = QueryAggregates(batch, table, negotiationId, trackId, asOf, knownOn);
        await batch.Execute(ct);
        var aggregates = (await aggregatesQuery)[0];

        var phaseCandidates = (await phaseQuery).ToList();

        // Reports of a kind not read are older than the oldest read, when there were more than the few asked for.
        var phaseFloor = phaseCandidates.GroupBy(d => d.Kind)
            .Where(g => g.Count() >= PhaseCandidates)
            .Select(g => g.Min(d => d.Claim.Provenance.Occurred.Latest))
            .DefaultIfEmpty(DateOnly.MinValue)
            .Max();

        var statementsRead = (await statements).OfType<PositionStated>().ToList();

        // Every visible report of the developments selected, then the corrections and retractions of any of them.
        var keys = recent.Concat(phaseCandidates).Concat(statementsRead)
            .Select(d => d.Claim.DevelopmentKey).Distinct().ToArray();
        var alreadyRead = recent.Concat(phaseCandidates).Concat(statementsRead).DistinctBy(d => d.Claim.ClaimId).ToList();
        var selection = alreadyRead.Concat(await session.AdvancedSql.QueryAsync<Development>(
            $"""
            select data -> 'development' from {table}
            where negotiation_id = ? and track_id = ? and development_key = any(?) and amended_claim_id is null
              and occurred_by <= ? and published <= ? and id <> all(?)
            """,
            ct,
            negotiationId, trackId, keys, asOf, knownOn, alreadyRead.Select(d => d.Claim.ClaimId).ToArray())).ToList();
        var claimIds = selection.Select(d => d.Claim.ClaimId).ToArray();
        selection.AddRange(await session.AdvancedSql.QueryAsync<Development>(
            $"select data -> 'development' from {table} where amended_claim_id = any(?) and published <= ?",
            ct,
            claimIds, knownOn));

        var folded = TrackStatusFold.Fold(negotiationId, trackId, selection, axes, reference);
        var byClaim = selection.ToDictionary(d => d.Claim.ClaimId);

        // What was not read is no later than the ends of what was: a headline field decided by something later
        // than those ends is exact; otherwise the caller folds the whole track.
        if (!NoEarlier(folded.Phase.Evidence, phaseFloor, byClaim) || !NoEarlier(folded.Phase.AlternativeEvidence, phaseFloor, byClaim)
            || (folded.LastChange is not null && !NoEarlier(folded.LastChange.Evidence, windowEnd.AddDays(1), byClaim)))
        {
            Telemetry.WholeTrackFolds.Add(1);
            return null;
        }

        // Statements not read are older than those read. The position is exact when its development settled no
        // earlier than the oldest statement read; whether it was restated, when all those read are of the one
        // development, is asked of the index.
        var settled = selection.GroupBy(d => d.Claim.DevelopmentKey).ToDictionary(g => g.Key, g => g.Min(d => d.Claim.Provenance.Occurred.Latest));
        var unsure = new List<PositionView>();
        foreach (var subject in statementsRead.GroupBy(p => (p.Party, p.Topic)))
        {
            var read = subject.ToList();
            if (read.Count < StatementsPerSubject)
            {
                continue;
            }

            var position = folded.Positions.FirstOrDefault(p => (p.Party, p.Topic) == subject.Key);
            if (position is null || settled[position.DevelopmentKey] < read.Min(p => p.Claim.Provenance.Occurred.Latest))
            {
                Telemetry.WholeTrackFolds.Add(1);
                return null;
            }

            if (!position.Restated)
            {
                unsure.Add(position);
            }
        }

        var positions = folded.Positions;
        if (unsure.Count > 0)
        {
            var restated = await RestatedAsync(session, table, negotiationId, trackId, asOf, knownOn, unsure, ct);
            positions = [.. positions.Select(p => restated.Contains(p) ? p with { Restated = true } : p)];
        }

        var shown = recent.Select(d => d.Claim.DevelopmentKey).ToHashSet();
        return folded with
        {
            Positions = positions,
            Proposals = [.. folded.Proposals.Where(p => shown.Contains(p.DevelopmentKey))],
            Agreements = [.. folded.Agreements.Where(a => shown.Contains(a.DevelopmentKey))],
            Exchanges = [.. folded.Exchanges.Where(e => shown.Contains(e.DevelopmentKey))],
            Other = [.. folded.Other.Where(o => shown.Contains(o.DevelopmentKey))],
            Disputes = [.. folded.Disputes.Where(d => shown.Contains(d.DevelopmentKey))],
            Totals = aggregates.ExchangeTotals(),
            ClaimCount = aggregates.ClaimCount,
            Window = new StatusWindow(windowSize, recent[^1].Claim.Provenance.Occurred.Latest, shown.Count) { FromAsReported = recent[^1].Claim.Provenance.Occurred.ToString() },
        };
    }

    /// <summary>
    /// Joins, for each outer row, the <paramref name="count"/> latest visible claims that match <paramref name="match"/>
    /// and every other one of the day of the last of them, as <c>latest.development</c>; what is not read is then
    /// strictly older. Takes the parameters negotiation, track, as-of, known-on, twice.
    /// </summary>
    private static string LatestWithTheirDay(string table, string match, int count) => $"""
        left join lateral (
          select occurred_by as floor from {table}
          where negotiation_id = ? and track_id = ? and {match} and occurred_by <= ? and published <= ?
          order by occurred_by desc offset {count - 1} limit 1) as f on true
        cross join lateral (
          select data -> 'development' as development from {table}
          where negotiation_id = ? and track_id = ? and {match} and occurred_by <= ? and published <= ?
            and occurred_by >= coalesce(f.floor, '-infinity'::date)) as latest
        """;

    /// <summary>Which of these positions have a visible, unsuperseded statement on the same subject from another development.</summary>
    private static async Task<HashSet<PositionView>> RestatedAsync(
        IQuerySession session, string table, string negotiationId, string trackId, DateOnly asOf, DateOnly knownOn, List<PositionView> positions, CancellationToken ct)
    {
        var subjects = await session.AdvancedSql.QueryAsync<string>(
            $"""
            select p.subject from unnest(?::text[], ?::text[]) as p(subject, development)
            where exists (
              select 1 from {table}
              where negotiation_id = ? and track_id = ? and subject = p.subject and occurred_by <= ? and published <= ? and development_key <> p.development
                and id not in (select amended_claim_id from {table} where negotiation_id = ? and track_id = ? and amended_claim_id is not null and published <= ?))
            """,
            ct,
            positions.Select(p => $"{p.Party}/{p.Topic}").ToArray(), positions.Select(p => p.DevelopmentKey).ToArray(),
            negotiationId, trackId, asOf, knownOn, negotiationId, trackId, knownOn);
        var restated = subjects.ToHashSet();
        return [.. positions.Where(p => restated.Contains($"{p.Party}/{p.Topic}"))];
    }

        /// <summary>Whether the claims behind a field all occurred on or after <paramref name="floor"/> (so nothing unread, all older, can outrank them).</summary>
    private static bool NoEarlier(IReadOnlyList<Evidence> evidence, DateOnly floor, Dictionary<Guid, Development> byClaim) =>
        evidence.Count == 0 || evidence.Min(e => byClaim[e.ClaimId].Claim.Provenance.Occurred.Latest) >= floor;

    private sealed record TotalRow(string Category, string ToParty, int Min, int Max, bool Approximate, bool LowerBound, IReadOnlyList<Evidence> Evidence);

    private sealed record TrackAggregates(int ClaimCount, IReadOnlyList<TotalRow>? Totals)
    {
        public IReadOnlyList<ExchangeTotal> ExchangeTotals() =>
        [
            .. (Totals ?? [])
                .Select(r => new ExchangeTotal(r.Category, r.ToParty, r.Min, r.Max, r.Approximate, r.LowerBound, r.Evidence))
                .OrderBy(t => t.Category, StringComparer.Ordinal).ThenBy(t => t.ToParty, StringComparer.Ordinal),
        ];
    }

    /// <summary>
    /// The track's claim count and exchange totals, added up in SQL by the fold's rules: reports superseded by a
    /// visible correction or retraction left out; for each development and direction, the range of counts its
    /// sources give; those ranges summed. One row of JSON.
    /// </summary>
    private static Task<IReadOnlyList<TrackAggregates>> QueryAggregates(
        IBatchedQuery batch, string table, string negotiationId, string trackId, DateOnly asOf, DateOnly knownOn)
    {
        // Both come from indexes alone: the count from the one carrying the publication day and the correction link
        // (less the superseded claims among it), the totals from the one carrying each completed exchange's counts.
        var sql = $"""
            with superseded as (
              select distinct amended_claim_id as id from {table}
              where negotiation_id = ? and track_id = ? and amended_claim_id is not null and published <= ?
            ), parts as (
              select development_key as development, split_part(t, '|', 1) as category, split_part(t, '|', 2) as to_party,
                     split_part(t, '|', 3)::int as n, split_part(t, '|', 4) as qualifier,
                     id, source_id as source, published, occurred_by as occurred
              from {table} cross join lateral unnest(string_to_array(transfer_counts, ';')) as t
              where negotiation_id = ? and track_id = ? and kind = 'exchange-completed' and occurred_by <= ? and published <= ?
                and id not in (select id from superseded)
            ), per_development as (
              select category, to_party, min(n) as low, max(n) as high,
                     bool_or(qualifier in ('About', 'UpTo')) as approximate, bool_or(qualifier in ('AtLeast', 'MoreThan')) as lower_bound
              from parts group by development, category, to_party
            ), evidence as (
              select category, to_party,
                     (array_agg(jsonb_build_object('claimId', id, 'sourceId', source, 'developmentKey', development, 'published', published)
                                order by occurred desc, id))[1:{TotalEvidence}] as claims
              from parts group by category, to_party
            ), totals as (
              select category, to_party, sum(low) as low, sum(high) as high, bool_or(approximate) as approximate, bool_or(lower_bound) as lower_bound
              from per_development group by category, to_party
            )
            select jsonb_build_object(
              'claimCount',
                (select count(*) from {table}
                 where negotiation_id = ? and track_id = ? and occurred_by <= ? and published <= ? and amended_claim_id is null)
                - (select count(*) from {table} as c join superseded as s on c.id = s.id
                   where c.occurred_by <= ? and c.published <= ? and c.amended_claim_id is null),
              'totals', (select jsonb_agg(jsonb_build_object('category', category, 'toParty', to_party, 'min', low, 'max', high,
                                          'approximate', approximate, 'lowerBound', lower_bound, 'evidence', to_jsonb(e.claims)))
                         from totals join evidence as e using (category, to_party)))
            """;
        return batch.Query<TrackAggregates>(
            sql,
            negotiationId, trackId, knownOn,
            negotiationId, trackId, asOf, knownOn,
            negotiationId, trackId, asOf, knownOn,
            asOf, knownOn);
    }
}
