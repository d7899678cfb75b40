using Ledger.Domain.Developments;

namespace Ledger.Domain.Tracks;

/// <summary>
/// Derives a track's status from the claims about it. The result depends only on the set of claims, never on
/// the order they were recorded in, so a report that arrives late changes nothing but what it adds.
/// </summary>
public static class TrackStatusFold
{
    public static TrackStatus Fold(string negotiationId, string trackId, IEnumerable<Development> events, TimeAxes? axes = null)
    {
        axes ??= TimeAxes.Now;
        var visible = events.Where(axes.Includes).ToList();

        var superseded = visible.OfType<ReportCorrected>().Select(c => c.SupersededClaimId)
            .Concat(visible.OfType<ReportRetracted>().Select(r => r.RetractedClaimId))
            .ToHashSet();

        var claims = visible
            .Where(e => e is not ReportCorrected and not ReportRetracted && !superseded.Contains(e.Claim.ClaimId))
            .ToList();

        var groups = claims
            .GroupBy(c => c.Claim.DevelopmentKey)
            .Select(g => new DevelopmentGroup(g.Key, [.. g.OrderBy(c => c.Claim.Provenance.Published).ThenBy(c => c.Claim.Provenance.SourceId, StringComparer.Ordinal).ThenBy(c => c.Claim.ClaimId)]))
            .OrderBy(g => g.Settled).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();

        return new TrackStatus(
            negotiationId,
            trackId,
            PhaseOf(groups),
            Positions(groups),
            Proposals(groups),
            [.. groups.SelectMany(g => g.OfKind<AgreementReached, AgreementView>(a => new AgreementView(g.Key, a[0].Parties, a[0].Text, g.Occurred, Evidence(a))))],
            [.. groups.SelectMany(g => g.OfKind<ExchangeReported, ExchangeView>(x => new ExchangeView(g.Key, x[0].Kind, x[0].Category, x[0].Text, g.Occurred, x[0].Transfers, Evidence(x))))],
            Totals(groups),
            [.. groups.Where(g => g.Claims.Any(IsOther)).Select(g => new DevelopmentNote(g.Key, g.Claims.First(IsOther).Kind, g.Claims.First(IsOther).Summary, g.Occurred, Evidence(g.Claims.Where(IsOther))))],
            Disputes(groups),
            LastChangeOf(groups),
            claims.Count,
            [.. superseded.Order()]);
    }

    private static bool IsOther(Development d) => d is MeetingHeld or DelegationChanged or DocumentHandedOver or AssessmentMade or DeadlineSet;

    private sealed record DevelopmentGroup(string Key, IReadOnlyList<Development> Claims)
    {
        /// <summary>The day by which every source agrees it had happened.</summary>
        public DateOnly Settled => Claims.Min(c => c.Claim.Provenance.Occurred.Latest);

        public string Occurred => Claims[0].Claim.Provenance.Occurred.ToString();

        /// <summary>One view per kind of claim of <typeparamref name="TEvent"/>: a development sources disagree on shows under each kind.</summary>
        public IEnumerable<TView> OfKind<TEvent, TView>(Func<IReadOnlyList<TEvent>, TView> view)
            where TEvent : Development
        {
            foreach (var byKind in Claims.OfType<TEvent>().GroupBy(c => c.Kind))
            {
                yield return view([.. byKind]);
            }
        }
    }

    internal static IReadOnlyList<Evidence> Evidence(IEnumerable<Development> claims) =>
        [.. claims.Select(c => new Evidence(c.Claim.ClaimId, c.Claim.Provenance.SourceId, c.Claim.DevelopmentKey, c.Claim.Provenance.Published))];

    private static Phase? Contribution(Development d) => d switch
    {
        ProposalMade => Phase.Proposed,
        ProposalAnswered { Response: ProposalResponse.Accepted } => Phase.Agreed,
        ProposalAnswered { Response: ProposalResponse.Rejected } => Phase.Rejected,
        ProposalAnswered { Response: ProposalResponse.UnderConsideration } => Phase.UnderConsideration,
        ProposalAnswered { Response: ProposalResponse.Countered } => Phase.Proposed,
        AgreementReached => Phase.Agreed,
        ExchangeUnderway => Phase.InProgress,
        ExchangeCompleted => Phase.Completed,
        AssessmentMade { Outlook: Outlook.FarApart or Outlook.Stalled } => Phase.Stalled,
        _ => null,
    };

    /// <summary>
    /// The phase is set by the latest development that moves it (on one day, the furthest along wins).
    /// Where sources disagree about such a development, the phase is worked out twice, once on the most
    /// cautious reading of each disputed development and once on the most advanced; if the two differ,
    /// the phase is disputed and both readings are shown with their claims.
    /// </summary>
    private static PhaseField PhaseOf(IReadOnlyList<DevelopmentGroup> groups)
    {
        if (groups.Count == 0)
        {
            return new PhaseField(Phase.NoContact, [], null, []);
        }

        var cautious = Reading(groups, pickMin: true);
        var advanced = Reading(groups, pickMin: false);
        if (cautious is null)
        {
            return new PhaseField(Phase.Discussed, Evidence(groups.SelectMany(g => g.Claims)), null, []);
        }

        return cautious.Value.Phase == advanced!.Value.Phase
            ? new PhaseField(cautious.Value.Phase, Evidence(cautious.Value.Claims.Union(advanced.Value.Claims)), null, [])
            : new PhaseField(cautious.Value.Phase, Evidence(cautious.Value.Claims), advanced.Value.Phase, Evidence(advanced.Value.Claims));
    }

    private static (Phase Phase, IReadOnlyList<Development> Claims)? Reading(IReadOnlyList<DevelopmentGroup> groups, bool pickMin)
    {
        (DateOnly Day, Phase Phase, IReadOnlyList<Development> Claims)? best = null;
        foreach (var group in groups)
        {
            var contributions = group.Claims
                .Select(c => (Claim: c, Phase: Contribution(c)))
                .Where(x => x.Phase is not null)
                .ToList();
            if (contributions.Count == 0)
            {
                continue;
            }

            var phase = pickMin ? contributions.Min(x => x.Phase!.Value) : contributions.Max(x => x.Phase!.Value);
            var backing = contributions.Where(x => x.Phase == phase).Select(x => x.Claim).ToList();
            var day = backing.Min(c => c.Claim.Provenance.Occurred.Latest);
            if (best is null || day > best.Value.Day || (day == best.Value.Day && phase > best.Value.Phase))
            {
                best = (day, phase, backing);
            }
            else if (day == best.Value.Day && phase == best.Value.Phase)
            {
                best = (day, phase, [.. best.Value.Claims, .. backing]);
            }
        }

        return best is null ? null : (best.Value.Phase, best.Value.Claims);
    }

    private static IReadOnlyList<PositionView> Positions(IReadOnlyList<DevelopmentGroup> groups)
    {
        var statements = groups
            .Select(g => (Group: g, Claims: g.Claims.OfType<PositionStated>().ToList()))
            .Where(x => x.Claims.Count > 0)
            .ToList();

        return [.. statements
            .GroupBy(x => (x.Claims[0].Party, x.Claims[0].Topic))
            .Select(byTopic =>
            {
                var ordered = byTopic.OrderBy(x => x.Group.Settled).ThenBy(x => x.Group.Key, StringComparer.Ordinal).ToList();
                var latest = ordered[^1];
                var earlier = ordered.Take(ordered.Count - 1).Select(x => x.Group.Key).ToList();
                return new PositionView(
                    byTopic.Key.Party,
                    byTopic.Key.Topic,
                    latest.Claims[0].Position,
                    latest.Group.Key,
                    latest.Group.Occurred,
                    earlier.Count > 0,
                    earlier,
                    Evidence(latest.Claims));
            })
            .OrderBy(p => p.Party, StringComparer.Ordinal).ThenBy(p => p.Topic, StringComparer.Ordinal)];
    }

    private static IReadOnlyList<ProposalView> Proposals(IReadOnlyList<DevelopmentGroup> groups)
    {
        var responses = groups
            .SelectMany(g => g.Claims.OfType<ProposalAnswered>().GroupBy(a => (a.ProposalKey, a.Response)).Select(r => (Group: g, Answers: r.ToList())))
            .ToList();

        return [.. groups.SelectMany(g => g.OfKind<ProposalMade, ProposalView>(made =>
        {
            var answers = responses
                .Where(r => r.Answers[0].ProposalKey == g.Key)
                .OrderBy(r => r.Group.Settled)
                .Select(r => new ResponseView(r.Group.Key, r.Answers[0].RespondingParty, r.Answers[0].Response, r.Answers[0].Text, Evidence(r.Answers)))
                .ToList();
            var state = answers.Count == 0
                ? ProposalState.Open
                : answers[^1].Response switch
                {
                    ProposalResponse.Accepted => ProposalState.Accepted,
                    ProposalResponse.Rejected => ProposalState.Rejected,
                    ProposalResponse.Countered => ProposalState.Countered,
                    _ => ProposalState.UnderConsideration,
                };
            return new ProposalView(g.Key, made[0].ProposedBy, made[0].Text, g.Occurred, state, answers, Evidence(made));
        }))];
    }

    private static IReadOnlyList<ExchangeTotal> Totals(IReadOnlyList<DevelopmentGroup> groups)
    {
        var parts = new List<(ExchangeCategory Category, string ToParty, int Min, int Max, bool Approximate, bool LowerBound, IReadOnlyList<Evidence> Evidence)>();
        foreach (var group in groups)
        {
            var completed = group.Claims.OfType<ExchangeCompleted>().ToList();
            foreach (var byDirection in completed
                .SelectMany(c => c.Transfers.Where(t => t.Count is not null).Select(t => (c.Category, t.ToParty, Count: t.Count!, Claim: c)))
                .GroupBy(x => (x.Category, x.ToParty)))
            {
                var counts = byDirection.Select(x => x.Count).ToList();
                parts.Add((
                    byDirection.Key.Category,
                    byDirection.Key.ToParty,
                    counts.Min(c => c.Value),
                    counts.Max(c => c.Value),
                    counts.Any(c => c.Qualifier is QuantityQualifier.About or QuantityQualifier.UpTo),
                    counts.Any(c => c.Qualifier is QuantityQualifier.AtLeast or QuantityQualifier.MoreThan),
                    Evidence(byDirection.Select(x => x.Claim))));
            }
        }

        return [.. parts
            .GroupBy(p => (p.Category, p.ToParty))
            .Select(g => new ExchangeTotal(
                g.Key.Category,
                g.Key.ToParty,
                g.Sum(p => p.Min),
                g.Sum(p => p.Max),
                g.Any(p => p.Approximate),
                g.Any(p => p.LowerBound),
                [.. g.SelectMany(p => p.Evidence)]))
            .OrderBy(t => t.Category).ThenBy(t => t.ToParty, StringComparer.Ordinal)];
    }

    /// <summary>
    /// A fact is disputed when the claims about one development that state it give different values. A
    /// claim that says nothing about a fact does not dispute it, and dates dispute each other only when
    /// they cannot both be right ("June" and "2 June" agree; "1 June" and "2 June" do not).
    /// </summary>
    private static IReadOnlyList<DisputeView> Disputes(IReadOnlyList<DevelopmentGroup> groups) =>
        [.. groups
            .Where(g => g.Claims.Count > 1)
            .SelectMany(g =>
            {
                var facts = g.Claims.Select(c => (Claim: c, Facts: c.Facts())).ToList();
                return facts
                    .SelectMany(x => x.Facts.Keys)
                    .Distinct()
                    .Order(StringComparer.Ordinal)
                    .Select(fact => (fact, Versions: facts
                        .Where(x => x.Facts.ContainsKey(fact))
                        .GroupBy(x => x.Facts[fact])
                        .Select(v => new DisputedVersion(v.Key, Evidence(v.Select(x => x.Claim))))
                        .ToList()))
                    .Where(x => x.Versions.Count > 1 && (x.fact != "occurred" || !DatesCompatible(g.Claims)))
                    .Select(x => new DisputeView(g.Key, x.fact, x.Versions));
            })];

    private static bool DatesCompatible(IEnumerable<Development> claims)
    {
        var dates = claims.Select(c => c.Claim.Provenance.Occurred).ToList();
        return dates.Max(d => d.Earliest) <= dates.Min(d => d.Latest);
    }

    private static LastChange? LastChangeOf(IReadOnlyList<DevelopmentGroup> groups)
    {
        if (groups.Count == 0)
        {
            return null;
        }

        var day = groups.Max(g => g.Settled);
        var latest = groups.Where(g => g.Settled == day).ToList();
        return new LastChange(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), [.. latest.Select(g => g.Key)], Evidence(latest.SelectMany(g => g.Claims)));
    }
}
