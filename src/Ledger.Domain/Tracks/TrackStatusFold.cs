using Ledger.Domain.Developments;

namespace Ledger.Domain.Tracks;

/// <summary>
/// Derives a track's status from the claims about it. The result depends only on the set of claims, never on
/// the order they were recorded in, so a report that arrives late changes nothing but what it adds.
/// </summary>
public static class TrackStatusFold
{
    /// <summary>
    /// Folds a track's claims. <paramref name="reference"/> is the day elapsed time and lapses are counted to when the
    /// axes name none (the caller passes today: the fold itself never reads a clock). <paramref name="related"/> are
    /// claims on other tracks that carry out this track's agreements (their stages and running totals).
    /// </summary>
    public static TrackStatus Fold(string negotiationId, string trackId, IEnumerable<Development> events, TimeAxes? axes = null, DateOnly? reference = null, IEnumerable<Development>? related = null)
    {
        axes ??= TimeAxes.Now;
        var day = axes.AsOf ?? axes.KnownOn ?? reference;
        var visible = events.Where(axes.Includes).ToList();
        var relatedGroups = (related ?? []).Where(axes.Includes).Where(r => r is ExchangeReported or TotalReported)
            .GroupBy(c => c.Claim.DevelopmentKey)
            .Select(g => new DevelopmentGroup(g.Key, [.. g.OrderBy(c => c.Claim.Provenance.Published).ThenBy(c => c.Claim.Provenance.SourceId, StringComparer.Ordinal).ThenBy(c => c.Claim.ClaimId)]))
            .ToList();

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
            Proposals(groups, day),
            [.. groups.SelectMany(g => g.OfKind<AgreementReached, AgreementView>(a => Headline(a, x => x.Text) is var (top, versions) ? new AgreementView(g.Key, top.Parties, top.Text, g.Occurred, Evidence(a))
            {
                Versions = versions,
                Quantities = [.. a.SelectMany(x => x.Quantities).Distinct()],
                Due = a.Select(x => x.Due).FirstOrDefault(d => d is not null)?.ToString(),
            } : null!))],
            [.. groups.SelectMany(g => g.OfKind<ExchangeReported, ExchangeView>(x => Headline(x, ExchangeShown) is var (top, versions)
                ? new ExchangeView(g.Key, top.Kind, top.Category, top.Text, top.Claim.Provenance.Occurred.ToString(), top.Transfers, Evidence(x)) { Implements = top.Implements, Versions = versions }
                : null!))],
            Totals(groups),
            [.. groups.Where(g => g.Claims.Any(IsOther)).Select(g => Headline([.. g.Claims.Where(IsOther)], o => o.Summary) is var (top, versions) ? new DevelopmentNote(g.Key, top.Kind, top.Summary, g.Occurred, Evidence(g.Claims.Where(IsOther)))
            {
                Versions = versions,
                Lapsed = g.Claims.OfType<DeadlineSet>().Select(d => d.Due).FirstOrDefault(d => d is not null) is { } due && day is { } today && today > due.Latest
                    ? new Lapse(due.ToString(), due.Latest.AddDays(1))
                    : null,
            } : null!)],
            [.. Disputes(groups), .. Contradictions(groups)],
            LastChangeOf(groups),
            claims.Count,
            [.. superseded.Order()])
        {
            Commitments = Commitments(groups, relatedGroups),
            Meetings = Meetings(groups, day),
            Reference = day,
            Corroboration = [.. groups.Select(g => new CorroborationView(
                g.Key,
                g.Claims.Count,
                IndependentSources(g.Claims),
                [.. g.Claims.Select(c => c.Claim.Provenance.Outlet ?? c.Claim.Provenance.SourceId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]))],
        };
    }

    /// <summary>Every kind that no list of its own shows: the status lists these too, so nothing visible is left out.</summary>
    private static string ExchangeShown(ExchangeReported x) =>
        x.Transfers.Count == 0
            ? x.Text
            : $"{x.Text} ({string.Join("; ", x.Transfers.Select(t => $"{t.Count?.ToString() ?? "number not given"} {t.Category ?? x.Category} to {t.ToParty}"))})";

    private static bool IsOther(Development d) => d is not (ProposalMade or ProposalAnswered or AgreementReached or ExchangeReported or PositionStated or TotalReported or ContradictionNoted);

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

    /// <summary>
    /// Where the reports of one development differ in what a row shows (its text, numbers, state), every version is kept
    /// with its sources, and the headline is chosen by <see cref="TrackStatus.HeadlineRule"/>: the version with the most
    /// independent sources, then the most recently published, then the first by source id.
    /// </summary>
    internal static (T Headline, IReadOnlyList<DisputedVersion> Versions) Headline<T>(IReadOnlyList<T> claims, Func<T, string> shown)
        where T : Development
    {
        var versions = claims.GroupBy(shown)
            .Select(v => (Value: v.Key, Claims: v.ToList()))
            .OrderByDescending(v => IndependentSources(v.Claims))
            .ThenByDescending(v => v.Claims.Max(c => c.Claim.Provenance.Published))
            .ThenBy(v => v.Claims.Min(c => c.Claim.Provenance.SourceId), StringComparer.Ordinal)
            .ToList();
        return (versions[0].Claims[0], versions.Count == 1 ? [] : [.. versions.Select(v => new DisputedVersion(v.Value, Evidence(v.Claims)))]);
    }

    internal static IReadOnlyList<Evidence> Evidence(IEnumerable<Development> claims) =>
        [.. claims.Select(c => new Evidence(c.Claim.ClaimId, c.Claim.Provenance.SourceId, c.Claim.DevelopmentKey, c.Claim.Provenance.Published) { AssertedBy = c.Claim.Provenance.SaidBy?.AssertedBy })];

    /// <summary>
    /// Independent sources of one development: sources of one outlet count once, and so do outlets that carry the same
    /// words (a wire text copied verbatim). A source with no named outlet counts on its own.
    /// </summary>
    public static int IndependentSources(IEnumerable<Development> claims)
    {
        var bySource = claims.GroupBy(c => c.Claim.Provenance.SourceId).Select(g => (Outlet: OutletOf(g.First()), Quotes: g.Select(c => c.Claim.Provenance.Quote.Exact).ToHashSet(StringComparer.Ordinal))).ToList();
        var groups = new List<(HashSet<string> Outlets, HashSet<string> Quotes)>();
        foreach (var (outlet, quotes) in bySource)
        {
            var joined = groups.Where(g => g.Outlets.Contains(outlet) || g.Quotes.Overlaps(quotes)).ToList();
            var merged = (Outlets: new HashSet<string>(StringComparer.Ordinal) { outlet }, Quotes: new HashSet<string>(quotes, StringComparer.Ordinal));
            foreach (var g in joined)
            {
                merged.Outlets.UnionWith(g.Outlets);
                merged.Quotes.UnionWith(g.Quotes);
                groups.Remove(g);
            }

            groups.Add(merged);
        }

        return groups.Count;
    }

    private static string OutletOf(Development claim) =>
        claim.Claim.Provenance.Outlet is { Length: > 0 } outlet && !outlet.Equals("unknown", StringComparison.OrdinalIgnoreCase)
            ? outlet.Trim().ToUpperInvariant()
            : $"source:{claim.Claim.Provenance.SourceId}";

    private static Phase? Contribution(Development d) => d switch
    {
        ProposalMade => Phase.Proposed,
        ProposalAnswered { Response: ProposalResponse.Accepted } => Phase.Agreed,
        ProposalAnswered { Response: ProposalResponse.Rejected } => Phase.Rejected,
        ProposalAnswered { Response: ProposalResponse.UnderConsideration } => Phase.UnderConsideration,
        ProposalAnswered { Response: ProposalResponse.Countered or ProposalResponse.NoAnswer } => Phase.Proposed,
        ProposalAnswered { Response: ProposalResponse.PartlyAccepted } => Phase.Agreed,
        ProposalAnswered { Response: ProposalResponse.Welcomed or ProposalResponse.NotYetAccepted } => Phase.UnderConsideration,
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
            // A lifecycle moves on: an exchange reported under way before it was reported completed is not a reading of its own.
            var completed = group.Claims.OfType<ExchangeCompleted>().Select(c => c.Claim.Provenance.Occurred.Earliest).ToList();
            var contributions = group.Claims
                .Where(c => c is not ExchangeUnderway || completed.Count == 0 || c.Claim.Provenance.Occurred.Latest >= completed.Min())
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
                var (top, versions) = Headline(latest.Claims, c => c.Position);
                return new PositionView(
                    byTopic.Key.Party,
                    byTopic.Key.Topic,
                    top.Position,
                    latest.Group.Key,
                    latest.Group.Occurred,
                    earlier.Count > 0,
                    earlier,
                    Evidence(latest.Claims))
                {
                    Versions = versions,
                };
            })
            .OrderBy(p => p.Party, StringComparer.Ordinal).ThenBy(p => p.Topic, StringComparer.Ordinal)];
    }

    private static IReadOnlyList<ProposalView> Proposals(IReadOnlyList<DevelopmentGroup> groups, DateOnly? day)
    {
        var responses = groups
            .SelectMany(g => g.Claims.OfType<ProposalAnswered>().GroupBy(a => (a.ProposalKey, a.Response)).Select(r => (Group: g, Answers: r.ToList())))
            .ToList();

        return [.. groups.SelectMany(g => g.OfKind<ProposalMade, ProposalView>(made =>
        {
            var answers = responses
                .Where(r => r.Answers[0].ProposalKey == g.Key)
                .OrderBy(r => r.Group.Settled)
                .Select(r => Headline(r.Answers, a => a.Accepted is { } part ? $"{a.Text} (accepted: {part})" : a.Text) is var (top, versions)
                    ? new ResponseView(r.Group.Key, top.RespondingParty, top.Response, top.Accepted is { } part ? $"{top.Text} (accepted: {part})" : top.Text, Evidence(r.Answers)) { Versions = versions }
                    : null!)
                .ToList();
            var state = answers.Count == 0
                ? ProposalState.Open
                : answers[^1].Response switch
                {
                    ProposalResponse.Accepted => ProposalState.Accepted,
                    ProposalResponse.Rejected => ProposalState.Rejected,
                    ProposalResponse.Countered => ProposalState.Countered,
                    ProposalResponse.PartlyAccepted => ProposalState.PartlyAccepted,
                    ProposalResponse.Welcomed => ProposalState.Welcomed,
                    ProposalResponse.NotYetAccepted => ProposalState.NotYetAccepted,
                    ProposalResponse.NoAnswer => ProposalState.Unanswered,
                    _ => ProposalState.UnderConsideration,
                };

            // Where sources give different due dates, the item lapses only once the latest of them has passed.
            var due = made.Select(m => m.Due).Where(d => d is not null).MaxBy(d => d!.Latest);
            var (top, versions) = Headline(made, m => m.Text);
            var view = new ProposalView(g.Key, top.ProposedBy, top.Text, g.Occurred, state, answers, Evidence(made))
            {
                Versions = versions,
                Quantities = [.. made.SelectMany(m => m.Quantities).Distinct()],
                Due = due?.ToString(),
            };
            var settled = g.Claims.OfType<ProposalMade>().Min(m => m.Claim.Provenance.Occurred.Latest);
            return view with
            {
                OpenForDays = view.IsOpen && day is { } d && d >= settled ? d.DayNumber - settled.DayNumber : null,
                Lapsed = view.IsOpen && due is not null && day is { } today && today > due.Latest ? new Lapse(due.ToString(), due.Latest.AddDays(1)) : null,
            };
        }))];
    }

    private static List<ExchangeTotal> Totals(IReadOnlyList<DevelopmentGroup> groups) =>
        Sum(groups.Select(g => g.Claims.OfType<ExchangeCompleted>().ToList()));

    /// <summary>
    /// Adds up completed exchanges, each development once: where its sources give different counts, the development
    /// counts as a range. A count of "all" names no number and is left out of sums.
    /// </summary>
    private static List<ExchangeTotal> Sum(IEnumerable<IReadOnlyList<ExchangeCompleted>> developments)
    {
        var parts = new List<(string Category, string ToParty, int Min, int Max, bool Approximate, bool LowerBound, IReadOnlyList<Evidence> Evidence)>();
        foreach (var completed in developments)
        {
            foreach (var byDirection in completed
                .SelectMany(c => c.Transfers.Where(t => t.Count is { HasNumber: true }).Select(t => (Category: c.CategoryOf(t), t.ToParty, Count: t.Count!, Claim: c)))
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
            .OrderBy(t => t.Category, StringComparer.Ordinal).ThenBy(t => t.ToParty, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Each agreement of the track with the exchanges that name it (from this track, or from <paramref name="related"/>
    /// on others): what was committed, each stage with its sources, what the completed stages add up to against the
    /// commitment, and the sources' own running totals beside that sum.
    /// </summary>
    private static IReadOnlyList<CommitmentView> Commitments(IReadOnlyList<DevelopmentGroup> groups, IReadOnlyList<DevelopmentGroup> related)
    {
        var all = groups.Concat(related).ToList();
        return [.. groups.Where(g => g.Claims.OfType<AgreementReached>().Any()).Select(g =>
        {
            var agreements = g.Claims.OfType<AgreementReached>().ToList();
            var committed = agreements.SelectMany(a => a.Quantities).Distinct().ToList();
            var stages = all
                .Select(s => (Group: s, Exchanges: s.Claims.OfType<ExchangeReported>().Where(x => x.Implements?.AgreementKey == g.Key).ToList()))
                .Where(s => s.Exchanges.Count > 0)
                .ToList();
            var stageViews = stages
                .SelectMany(s => s.Exchanges.GroupBy(x => x.Kind).Select(k => k.OrderByDescending(x => x.Transfers.Count(t => t.Count is not null)).First() is var fullest
                    ? new StageView(s.Group.Key, fullest.Implements!.Stage, k.Key, s.Group.Occurred, fullest.Transfers, fullest.Category, Evidence(k))
                    : null!))
                .OrderBy(v => v.Stage ?? int.MaxValue).ThenBy(v => v.Occurred, StringComparer.Ordinal)
                .ToList();
            var carriedOut = Sum(stages.Select(s => (IReadOnlyList<ExchangeCompleted>)[.. s.Exchanges.OfType<ExchangeCompleted>()]));
            var parties = agreements.SelectMany(a => a.Parties).Concat(carriedOut.Select(c => c.ToParty)).Distinct(StringComparer.Ordinal).ToList();
            var fulfilment = committed
                .SelectMany(q => (q.ToParty is null ? parties : [q.ToParty]).Select(to => (q.Category, To: to, Committed: (Quantity?)q.Count)))
                .Concat(carriedOut.Where(c => !committed.Any(q => q.Category == c.Category)).Select(c => (c.Category, To: c.ToParty, Committed: (Quantity?)null)))
                .DistinctBy(x => (x.Category, x.To))
                .Select(x => new FulfilmentView(
                    x.Category,
                    x.To,
                    carriedOut.FirstOrDefault(c => c.Category == x.Category && c.ToParty == x.To),
                    x.Committed))
                .ToList();
            var totals = all
                .SelectMany(s => s.Claims.OfType<TotalReported>().Where(t => t.AgreementKey == g.Key).GroupBy(t => (s.Key, t.Complete, Counts: string.Join(";", t.Transfers.Select(x => $"{x.ToParty}:{x.Count}"))))
                    .Select(t => new ReportedTotalView(s.Key, t.First().Category, t.First().Transfers, t.Key.Complete, t.First().Claim.Provenance.Occurred.ToString(), Evidence(t))))
                .ToList();
            return new CommitmentView(g.Key, agreements[0].Text, g.Occurred, committed, stageViews, fulfilment, totals, Evidence(agreements));
        })];
    }

    /// <summary>Developments linked as contradicting each other: each pair is a dispute, each side with its own sources.</summary>
    private static IEnumerable<DisputeView> Contradictions(IReadOnlyList<DevelopmentGroup> groups) =>
        groups.SelectMany(g => g.Claims.OfType<ContradictionNoted>()
            .GroupBy(c => string.Join('|', c.Between.Order(StringComparer.Ordinal)))
            .Select(link => new DisputeView(
                g.Key,
                "contradiction",
                [.. link.First().Between.Select(key => groups.FirstOrDefault(o => o.Key == key) is { } side
                    ? new DisputedVersion($"{key}: {side.Claims[0].Summary}", Evidence(side.Claims))
                    : new DisputedVersion(key, Evidence(link)))])));

    /// <summary>Planned meetings, each with the meeting held under its key where there was one.</summary>
    private static IReadOnlyList<MeetingView> Meetings(IReadOnlyList<DevelopmentGroup> groups, DateOnly? reference) =>
        [.. groups.Where(g => g.Claims.OfType<MeetingPlanned>().Any()).Select(g =>
        {
            var planned = g.Claims.OfType<MeetingPlanned>().ToList();
            var held = g.Claims.OfType<MeetingHeld>().ToList();
            var plannedVenue = planned.Select(p => p.Venue).FirstOrDefault(v => v is not null);
            var plannedFor = planned.Select(p => p.PlannedFor).FirstOrDefault(d => d is not null);
            var heldVenue = held.Select(h => h.Venue).FirstOrDefault(v => v is not null);
            var heldOn = held.Count == 0 ? null : held[0].Claim.Provenance.Occurred;
            var changed = new List<string>();
            if (plannedVenue is not null && heldVenue is not null && !Compatible(plannedVenue, heldVenue))
            {
                changed.Add($"venue: planned {plannedVenue}, held {heldVenue}");
            }

            if (plannedFor is not null && heldOn is not null && (heldOn.Latest < plannedFor.Earliest || heldOn.Earliest > plannedFor.Latest))
            {
                changed.Add($"date: planned {plannedFor}, held {heldOn}");
            }

            var lapse = held.Count == 0 && plannedFor is not null && reference is { } day && day > plannedFor.Latest ? new Lapse(plannedFor.ToString(), plannedFor.Latest.AddDays(1)) : null;
            return new MeetingView(g.Key, plannedVenue, plannedFor?.ToString(), heldVenue, heldOn?.ToString(), changed, Evidence(g.Claims.Where(c => c is MeetingPlanned or MeetingHeld))) { Lapsed = lapse };
        })];

    /// <summary>"Istanbul" and "Çırağan Palace, Istanbul" name one place at two precisions.</summary>
    private static bool Compatible(string a, string b) =>
        a.Contains(b, StringComparison.OrdinalIgnoreCase) || b.Contains(a, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Where claims about one development contradict each other: a claim that says nothing about a fact does not
    /// dispute it, and dates dispute each other only when they cannot both be right ("June" and "2 June" agree). The kind is compared across all of them (under way
    /// and completed, planned and held, are one lifecycle and compare as one kind); every other fact only among
    /// claims of the same kind, since a lifecycle's stages may differ in date and detail without contradicting.
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
                    .SelectMany(fact => (fact == "kind" ? [facts] : facts.GroupBy(x => x.Claim.Kind).Select(k => k.ToList()))
                        .Select(among => (fact, Claims: among.Select(x => x.Claim).ToList(), Versions: among
                            .Where(x => x.Facts.ContainsKey(fact))
                            .GroupBy(x => x.Facts[fact])
                            .Select(v => new DisputedVersion(v.Key, Evidence(v.Select(x => x.Claim))))
                            .ToList())))
                    .Where(x => x.Versions.Count > 1 && x.Versions.Any(v => x.Versions.Any(w => !Compatibility.Compatible(x.fact, v.Value, w.Value))))
                    .Select(x => new DisputeView(g.Key, x.fact, x.Versions));
            })];

    private static LastChange? LastChangeOf(IReadOnlyList<DevelopmentGroup> groups)
    {
        if (groups.Count == 0)
        {
            return null;
        }

        var day = groups.Max(g => g.Settled);
        var latest = groups.Where(g => g.Settled == day).ToList();

        // The date as the sources give it ("before 2025-07-23", "undated, published 2025-07-23"), never the latest day
        // it can have been presented as if reported.
        var reported = latest.Select(g => g.Occurred).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new LastChange(string.Join("; ", reported), [.. latest.Select(g => g.Key)], Evidence(latest.SelectMany(g => g.Claims)));
    }
}
