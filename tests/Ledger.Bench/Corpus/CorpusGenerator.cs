using System.Globalization;
using System.Text;
using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Provenance;

namespace Ledger.Bench.Corpus;

/// <summary>A negotiation's registration as the generator made it (what negotiation.yaml says).</summary>
public sealed record NegotiationSpec(string Id, string Title, IReadOnlyList<Party> Parties, IReadOnlyList<Actor> Actors, IReadOnlyList<Track> Tracks);

/// <summary>The earlier report a correction or retraction names, as event files name it.</summary>
public sealed record ClaimRef(string DevelopmentKey, string SourceId, string Quote);

/// <summary>One generated claim: the event the importer must produce from it, and what a correction names.</summary>
public sealed record GeneratedClaim(Development Development, ClaimRef? Target);

/// <summary>One source article (its exact text and metadata) and the claims coded from it: one event file.</summary>
public sealed record Article(string SourceId, string NegotiationId, string Outlet, string Title, DateOnly Published, string Text, IReadOnlyList<GeneratedClaim> Claims);

/// <summary>A track the generator filled to a given size, for the per-track benchmarks.</summary>
public sealed record SizedTrack(string NegotiationId, string TrackId, int TargetClaims);

/// <summary>What the generator yields, in the order files must be imported: a negotiation, then its articles.</summary>
public abstract record CorpusItem;

public sealed record NegotiationItem(NegotiationSpec Negotiation) : CorpusItem;

public sealed record ArticleItem(Article Article) : CorpusItem;

/// <summary>
/// A deterministic synthetic corpus: many negotiations with parties, actors and tracks; articles composed from
/// word lists whose sentences are the quotes; developments of every kind in realistic proportions; publication
/// 0–5 days after the development (5 % of articles much later); other sources re-reporting a development, some
/// disagreeing (a dispute); corrections and retractions of earlier reports. The first negotiation holds the
/// "sized" tracks (100, 1k, 10k, 100k claims, as many as fit in half the corpus). Items are produced lazily, so
/// a million claims never sit in memory: only a bounded window of recent developments is kept for references.
/// </summary>
public sealed class CorpusGenerator
{
    /// <summary>The exchange categories every generated negotiation registers.</summary>
    public static readonly string[] Categories = ["prisoners-of-war", "bodies", "civilians", "children"];

    public const string MainNegotiation = "neg-000";

    private static readonly int[] SizedTrackClaims = [100, 1_000, 10_000, 100_000];

    private static readonly DateOnly Epoch = new(2021, 1, 4);

    private readonly int _size;
    private readonly int _seed;
    private Random _rng;

    public CorpusGenerator(int size, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 50);
        _size = size;
        _seed = seed;
        _rng = new Random(seed);
        SizedTracks = [.. SizedTrackClaims.Where(n => n <= size / 2)
            .Select(n => new SizedTrack(MainNegotiation, $"bulk-{n}", n))];
        NegotiationCount = Math.Max(3, size / 4_000);
    }

    public IReadOnlyList<SizedTrack> SizedTracks { get; }

    public int NegotiationCount { get; }

    /// <summary>The corpus, the same on every call (each enumeration starts again from the seed; not thread-safe).</summary>
    public IEnumerable<CorpusItem> Generate()
    {
        _rng = new Random(_seed);
        var sized = SizedTracks.Sum(t => t.TargetClaims);
        var share = (_size - sized) / NegotiationCount;
        for (var n = 0; n < NegotiationCount; n++)
        {
            var quota = share + (n == 0 ? sized + (_size - sized - (share * NegotiationCount)) : 0);
            var negotiation = NewNegotiation(n);
            yield return new NegotiationItem(negotiation);
            foreach (var article in Articles(negotiation, quota, n == 0 ? SizedTracks : []))
            {
                yield return new ArticleItem(article);
            }
        }
    }

    private NegotiationSpec NewNegotiation(int n)
    {
        var id = $"neg-{n:000}";
        var partyCount = _rng.Next(3, 6);
        var parties = Words.Countries.OrderBy(_ => _rng.Next()).Take(partyCount)
            .Select((c, i) => new Party(Kebab(c), c, i < 2 ? "party" : (i == 2 ? "mediator" : "observer")))
            .ToList();
        var actors = new List<Actor>();
        var names = new HashSet<string>();
        foreach (var party in parties)
        {
            for (var i = 0; i < 2; i++)
            {
                string first, last;
                do
                {
                    first = Pick(Words.FirstNames);
                    last = Pick(Words.LastNames);
                }
                while (!names.Add(last));
                actors.Add(new Actor(Kebab($"{first} {last}"), $"{first} {last}", party.Id, $"{Pick(Words.Roles)} of {party.Name}", [$"{first[0]}. {last}"]));
            }
        }

        var tracks = Words.Tracks.OrderBy(_ => _rng.Next()).Take(_rng.Next(6, 10))
            .Select(t => new Track(Kebab(t), t, $"The {t.ToLowerInvariant()} track"))
            .ToList();
        if (n == 0)
        {
            tracks.AddRange(SizedTracks.Select(t => new Track(t.TrackId, $"Bulk track of {t.TargetClaims:N0} claims", null)));
        }

        return new NegotiationSpec(id, $"Synthetic talks {n:000}: {parties[0].Name} and {parties[1].Name}", parties, actors, tracks);
    }

    private sealed record Recent(Development First, string Key);

    private IEnumerable<Article> Articles(NegotiationSpec negotiation, int quota, IReadOnlyList<SizedTrack> sized)
    {
        var normalTracks = negotiation.Tracks.Where(t => !t.Id.StartsWith("bulk-", StringComparison.Ordinal)).Select(t => t.Id).ToArray();
        var sizedLeft = sized.ToDictionary(t => t.TrackId, t => t.TargetClaims);
        var normalQuota = quota - sizedLeft.Values.Sum();
        var recent = new List<Recent>();
        var proposals = new List<Recent>();
        var reported = new List<(GeneratedClaim Claim, string Outlet)>();
        var date = Epoch.AddDays(_rng.Next(0, 200));
        var left = quota;
        var serial = 0;
        var developmentSerial = 0;

        while (left > 0)
        {
            date = date.AddDays(_rng.Next(0, 3));
            var outlet = Pick(Words.Outlets);
            var sourceId = $"{Kebab(outlet)}-{date:yyyy-MM-dd}-{negotiation.Id[4..]}{serial++:00000}";
            var late = _rng.NextDouble() < 0.05;
            var count = Math.Min(left, _rng.Next(5, 36));
            var sentences = new HashSet<string>(StringComparer.Ordinal);
            var pending = new List<(Func<Claim, Development> Build, string Key, string Track, FuzzyDate Occurred, string Quote, ClaimRef? Target)>();

            string Sentence(Func<string> compose)
            {
                string s;
                do
                {
                    s = compose();
                }
                while (!sentences.Add(s));
                return s;
            }

            string ChooseTrack()
            {
                var sizedTotal = sizedLeft.Values.Sum();
                if (sizedTotal > 0 && _rng.Next(sizedTotal + Math.Max(normalQuota, 0)) < sizedTotal)
                {
                    var pick = _rng.Next(sizedTotal);
                    foreach (var (track, remaining) in sizedLeft)
                    {
                        if (pick < remaining)
                        {
                            return track;
                        }

                        pick -= remaining;
                    }
                }

                return normalTracks[_rng.Next(normalTracks.Length)];
            }

            void Count(string track)
            {
                if (sizedLeft.TryGetValue(track, out var remaining))
                {
                    sizedLeft[track] = Math.Max(0, remaining - 1);
                }
                else
                {
                    normalQuota--;
                }
            }

            for (var i = 0; i < count; i++)
            {
                var roll = _rng.NextDouble();
                // An outlet corrects or retracts only its own reports (an unnamed outlet's are not known to be its own);
                // the rates are a little higher than the shares wanted (1.5 % and 0.5 %) as some articles have none to amend.
                List<(GeneratedClaim Claim, string Outlet)> own = roll < 0.0235 ? OwnReports(reported, outlet) : [];
                if (roll < 0.0175 && own.Count > 0 && i + 1 < count)
                {
                    // A correction of an earlier report, and the corrected content as a new claim of the same development.
                    var target = own[_rng.Next(own.Count)];
                    var t = target.Claim.Development;
                    var targetRef = new ClaimRef(t.Claim.DevelopmentKey, t.Claim.Provenance.SourceId, t.Claim.Provenance.Quote.Exact);
                    var correction = $"An earlier report on {t.Claim.DevelopmentKey} misstated the details";
                    var quote = Sentence(() => Compose.Correction(_rng, outlet));
                    pending.Add((c => new ReportCorrected(c, t.Claim.ClaimId, correction), t.Claim.DevelopmentKey, t.Claim.TrackId, t.Claim.Provenance.Occurred, quote, targetRef));
                    var corrected = Disagree(t, negotiation);
                    var quote2 = Sentence(() => Compose.Report(_rng, negotiation, corrected.Kind));
                    pending.Add((c => corrected with { Claim = c }, t.Claim.DevelopmentKey, t.Claim.TrackId, corrected.Claim.Provenance.Occurred, quote2, null));
                    Count(t.Claim.TrackId);
                    Count(t.Claim.TrackId);
                    i++;
                    reported.Remove(target);
                    continue;
                }

                if (roll < 0.0235 && own.Count > 0)
                {
                    var target = own[_rng.Next(own.Count)];
                    var t = target.Claim.Development;
                    var targetRef = new ClaimRef(t.Claim.DevelopmentKey, t.Claim.Provenance.SourceId, t.Claim.Provenance.Quote.Exact);
                    var quote = Sentence(() => Compose.Retraction(_rng, outlet));
                    pending.Add((c => new ReportRetracted(c, t.Claim.ClaimId, "The report could not be confirmed"), t.Claim.DevelopmentKey, t.Claim.TrackId, t.Claim.Provenance.Occurred, quote, targetRef));
                    Count(t.Claim.TrackId);
                    reported.Remove(target);
                    continue;
                }

                if (roll < 0.27 && recent.Count > 0)
                {
                    // Another source reports a development already reported; one in seven disagrees on a fact.
                    var existing = recent[_rng.Next(recent.Count)];
                    var basis = _rng.NextDouble() < 0.15 ? Disagree(existing.First, negotiation) : existing.First;
                    var quote = Sentence(() => Compose.Report(_rng, negotiation, basis.Kind));
                    pending.Add((c => basis with { Claim = c }, existing.Key, basis.Claim.TrackId, basis.Claim.Provenance.Occurred, quote, null));
                    Count(basis.Claim.TrackId);
                    continue;
                }

                {
                    var track = ChooseTrack();
                    var occurredDay = late ? date.AddDays(-_rng.Next(30, 400)) : date.AddDays(-Pareto(5));
                    var fuzzy = _rng.NextDouble() switch
                    {
                        < 0.05 => new FuzzyDate(new DateOnly(occurredDay.Year, occurredDay.Month, 1), DatePrecision.Month),
                        < 0.07 => new FuzzyDate(occurredDay.AddDays(1), DatePrecision.Before),
                        _ => FuzzyDate.On(occurredDay),
                    };
                    var key = $"d{developmentSerial++:000000}";
                    var (build, kind) = NewDevelopment(negotiation, proposals, track);
                    var quote = Sentence(() => Compose.Report(_rng, negotiation, kind));
                    pending.Add((build, key, track, fuzzy, quote, null));
                    Count(track);
                }
            }

            // The article: the quoted sentences among others, in paragraphs.
            var fillers = Enumerable.Range(0, pending.Count + _rng.Next(3, 12)).Select(_ => Sentence(() => Compose.Filler(_rng, negotiation))).ToList();
            var order = pending.Select(p => p.Quote).Concat(fillers).OrderBy(_ => _rng.Next()).ToList();
            var title = Compose.Title(_rng, negotiation);
            var text = new StringBuilder().Append(title).Append("\n\n");
            var offsets = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var s = 0; s < order.Count; s++)
            {
                offsets[order[s]] = text.Length;
                text.Append(order[s]);
                text.Append(s % 4 == 3 ? "\n\n" : " ");
            }

            var body = text.ToString().TrimEnd() + "\n";
            var claims = new List<GeneratedClaim>();
            foreach (var p in pending)
            {
                var start = offsets[p.Quote];
                if (body.IndexOf(p.Quote, StringComparison.Ordinal) != start || body.IndexOf(p.Quote, start + 1, StringComparison.Ordinal) >= 0)
                {
                    throw new InvalidOperationException($"generated quote is not unique in {sourceId}: {p.Quote}");
                }

                var provenance = new Provenance(sourceId, new QuoteAnchor(p.Quote, null, null, start, start + p.Quote.Length), Attribution(negotiation), p.Occurred, date) { Outlet = outlet };
                var claim = new Claim(Claim.IdFor(negotiation.Id, p.Key, sourceId, p.Quote), negotiation.Id, p.Track, p.Key, provenance);
                var development = p.Build(claim);
                var generated = new GeneratedClaim(development, p.Target);
                claims.Add(generated);
                if (development is not (ReportCorrected or ReportRetracted))
                {
                    Remember(reported, (generated, outlet), 2_000);
                    if (p.Target is null && !recent.Any(r => r.Key == p.Key))
                    {
                        Remember(recent, new Recent(development, p.Key), 200);
                        if (development is ProposalMade)
                        {
                            Remember(proposals, new Recent(development, p.Key), 200);
                        }
                    }
                }
            }

            left -= claims.Count;
            yield return new Article(sourceId, negotiation.Id, outlet, title, date, body, claims);
        }
    }

    private static List<(GeneratedClaim Claim, string Outlet)> OwnReports(List<(GeneratedClaim Claim, string Outlet)> reported, string outlet) =>
        outlet == "unknown" ? [] : [.. reported.Where(r => r.Outlet == outlet)];

    private static void Remember<T>(List<T> list, T item, int capacity)
    {
        if (list.Count == capacity)
        {
            list.RemoveAt(0);
        }

        list.Add(item);
    }

    /// <summary>Days between a development and its report: mostly the same day or the next, at most five.</summary>
    private int Pareto(int max) => Math.Min(max, (int)Math.Floor(-Math.Log(1 - _rng.NextDouble()) * 1.2));

    private Attribution? Attribution(NegotiationSpec negotiation)
    {
        var roll = _rng.NextDouble();
        if (roll < 0.55)
        {
            var actor = Pick(negotiation.Actors);
            return new Attribution(actor.PartyId, actor.Id, actor.Name, null);
        }

        return roll < 0.8 ? new Attribution(Pick(negotiation.Parties).Id, null, null, null) : null;
    }

    /// <summary>A new development on <paramref name="track"/>; an answer names a proposal made earlier on the same track.</summary>
    private (Func<Claim, Development> Build, string Kind) NewDevelopment(NegotiationSpec negotiation, List<Recent> proposals, string track)
    {
        var proposalsHere = proposals.Where(p => p.First.Claim.TrackId == track).ToList();
        var parties = negotiation.Parties;
        string Party() => Pick(parties).Id;
        var text = Compose.Summary(_rng);
        var roll = _rng.Next(100);
        switch (roll)
        {
            case < 12:
                {
                    var (by, to) = (Party(), _rng.Next(2) == 0 ? Party() : null);
                    return (c => new ProposalMade(c, by, to, text), "proposal-made");
                }

            case < 22 when proposalsHere.Count > 0:
                {
                    var proposal = Pick(proposalsHere).Key;
                    var (party, response) = (Party(), (ProposalResponse)_rng.Next(4));
                    return (c => new ProposalAnswered(c, proposal, party, response, text), "proposal-answered");
                }

            case < 28:
                {
                    IReadOnlyList<string> both = [parties[0].Id, parties[1].Id];
                    return (c => new AgreementReached(c, both, text), "agreement-reached");
                }

            case < 40:
                {
                    var category = Categories[_rng.Next(Categories.Length)];
                    IReadOnlyList<Transfer> transfers = [new Transfer(parties[0].Id, Quantity()), new Transfer(parties[1].Id, Quantity())];
                    return _rng.Next(3) == 0
                        ? (c => new ExchangeUnderway(c, category, transfers, text), "exchange-underway")
                        : (c => new ExchangeCompleted(c, category, transfers, text), "exchange-completed");
                }

            case < 65:
                {
                    var (party, topic) = (Party(), Pick(Words.Topics));
                    var position = Compose.Summary(_rng);
                    return (c => new PositionStated(c, party, topic, position), "position-stated");
                }

            case < 75:
                {
                    var round = _rng.Next(1, 40).ToString(CultureInfo.InvariantCulture);
                    var venue = Pick(Words.Places);
                    IReadOnlyList<string> participants = [.. negotiation.Actors.Take(2).Select(a => a.Name)];
                    var duration = _rng.Next(2) == 0 ? $"{_rng.Next(1, 9)} hours" : null;
                    return (c => new MeetingHeld(c, round, venue, null, duration, participants, text), "meeting-held");
                }

            case < 78:
                {
                    var party = Party();
                    IReadOnlyList<string> joined = [Pick(Words.LastNames)];
                    var size = _rng.Next(5, 20);
                    return (c => new DelegationChanged(c, party, null, joined, [], size, size + 1, text), "delegation-changed");
                }

            case < 82:
                {
                    var (from, to, document) = (Party(), Party(), $"{Pick(Words.Documents)} No. {_rng.Next(1, 99)}");
                    return (c => new DocumentHandedOver(c, document, from, to, text), "document-handed-over");
                }

            case < 96:
                {
                    var (by, outlook) = (_rng.Next(3) == 0 ? null : Party(), (Outlook)_rng.Next(4));
                    return (c => new AssessmentMade(c, by, outlook, text), "assessment-made");
                }

            default:
                {
                    var setBy = Party();
                    var due = FuzzyDate.On(Epoch.AddDays(_rng.Next(100, 2000)));
                    var demand = Compose.Summary(_rng);
                    return (c => new DeadlineSet(c, setBy, due, demand, null), "deadline-set");
                }
        }
    }

    /// <summary>A second source's version of a development that differs on one fact: a dispute.</summary>
    private Development Disagree(Development d, NegotiationSpec negotiation) => d switch
    {
        ExchangeCompleted x => x with { Transfers = [.. x.Transfers.Select(t => t with { Count = Quantity() })] },
        ExchangeUnderway x => x with { Transfers = [.. x.Transfers.Select(t => t with { Count = Quantity() })] },
        ProposalMade p => new AgreementReached(p.Claim, [negotiation.Parties[0].Id, negotiation.Parties[1].Id], p.Text),
        AssessmentMade a => a with { Outlook = (Outlook)(((int)a.Outlook + 1) % 4) },
        _ => d with { Claim = d.Claim with { Provenance = d.Claim.Provenance with { Occurred = FuzzyDate.On(d.Claim.Provenance.Occurred.Latest.AddDays(1)) } } },
    };

    private Quantity Quantity() => new(_rng.Next(1, 60) * 25, (QuantityQualifier)_rng.Next(5));

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    public static string Kebab(string s)
    {
        var b = new StringBuilder();
        foreach (var ch in s.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(ch))
            {
                b.Append(char.ToLowerInvariant(ch));
            }
            else if ((ch == ' ' || ch == '-' || ch == '\'') && b.Length > 0 && b[^1] != '-')
            {
                b.Append('-');
            }
        }

        return b.ToString().Trim('-');
    }
}
