using Ledger.Infrastructure;
using Ledger.Domain.Developments;
using Ledger.Domain.Provenance;
using Ledger.Domain.Tracks;
using Ledger.Sources;
using Ledger.Tracks;
using Marten;

namespace Ledger.Audit;

/// <summary>A quote shown where it stands: the sentence around it and the quote's place within that sentence.</summary>
public sealed record QuoteInContext(string Exact, int Start, int End, string Sentence, int StartInSentence);

/// <summary>One link of the audit chain: a claim, the event that recorded it, and its source and quote.</summary>
public sealed record AuditedClaim(
    Guid ClaimId,
    string DevelopmentKey,
    string Kind,
    string Summary,
    string TrackId,
    string Occurred,
    Attribution? SaidBy,
    string? Note,
    long EventSequence,
    long StreamVersion,
    Guid EventId,
    DateTimeOffset RecordedAt,
    string? RecordedBy,
    string SourceId,
    string Outlet,
    string SourceTitle,
    DateOnly Published,
    string? Url,
    QuoteInContext Quote,
    bool Superseded)
{
    /// <summary>The recorder's revisions of this report's coding, latest first, each with what it changed.</summary>
    public IReadOnlyList<Revision> Revisions { get; init; } = [];

    /// <summary>Fields the coder worked out rather than read in the quote, each with the reasoning.</summary>
    public IReadOnlyDictionary<string, string> Inferred { get; init; } = new Dictionary<string, string>();

    /// <summary>How many independent sources report the claim's development (one outlet's republications and verbatim copies count once).</summary>
    public int? IndependentSources { get; init; }
}

/// <summary>A coding fix of a report: who made it, when, why, and each field from what to what.</summary>
public sealed record Revision(Guid EventId, string RevisedBy, DateTimeOffset RevisedAt, string? Reason, IReadOnlyList<Ledger.Domain.Recording.FieldChange> Changes);

/// <summary>A status field and every claim behind it.</summary>
public sealed record AuditedField(string Path, string Value, IReadOnlyList<AuditedClaim> Claims);

public sealed record TrackAudit(string NegotiationId, string TrackId, TimeAxes Axes, IReadOnlyList<AuditedField> Fields);

/// <summary>Follows status fields to their events, sources and quotes: the chain field → events → sources → quotes.</summary>
public static class AuditQueries
{
    public static async Task<TrackAudit> TrackAsync(IQuerySession session, string? negotiationId, string trackId, string? fieldPrefix, TimeAxes axes, CancellationToken ct, string? by = null)
    {
        var status = await TrackQueries.StatusAsync(session, negotiationId, trackId, axes, null, ct);
        var report = status.Tracks[0];
        var fields = report.Status.Fields()
            .Where(f => fieldPrefix is null || f.Path == fieldPrefix || f.Path.StartsWith(fieldPrefix + ".", StringComparison.Ordinal))
            .ToList();
        if (fields.Count == 0)
        {
            throw new NotFoundException($"No field '{fieldPrefix}' in track '{trackId}'. Fields: {string.Join(", ", report.Status.Fields().Select(f => f.Path))}.");
        }

        var claims = await ClaimsAsync(session, [.. fields.SelectMany(f => f.Evidence.Select(e => e.ClaimId))], report.Status.SupersededClaims, ct);
        return new TrackAudit(
            status.Negotiation.Id,
            trackId,
            axes,
            [.. fields
                .Select(f => new AuditedField(f.Path, f.Value, [.. f.Evidence.Select(e => claims[e.ClaimId] with
                {
                    IndependentSources = report.Status.Corroboration.FirstOrDefault(c => c.DevelopmentKey == e.DevelopmentKey)?.IndependentSources,
                }).Where(c => by is null || InChain(c, by))]))
                .Where(f => f.Claims.Count > 0 || by is null)]);
    }

    /// <summary>
    /// Whether any link of a claim's attribution chain is <paramref name="link"/>: the person (as named, or the actor it
    /// resolves to, by the source or through roles in time), the party, the role, the outlet cited, the side whose
    /// assertion it is, or the outlet and source that published it.
    /// </summary>
    public static bool InChain(AuditedClaim claim, string link)
    {
        var chain = new[]
        {
            claim.SaidBy?.AsNamed, claim.SaidBy?.Actor, claim.SaidBy?.ResolvedActor, claim.SaidBy?.Party, claim.SaidBy?.Role,
            claim.SaidBy?.RoleAsGiven, claim.SaidBy?.Via, claim.SaidBy?.AssertedBy, claim.Outlet, claim.SourceId,
        };
        return chain.Any(l => l is not null && l.Contains(link, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The audit of one event wherever it is: ids are unique across every database of the ledger.</summary>
    public static async Task<AuditedClaim> ClaimAsync(IDocumentStore store, Guid id, CancellationToken ct)
    {
        NotFoundException? missing = null;
        foreach (var session in store.QuerySessionsInEveryDatabase())
        {
            await using (session)
            {
                try
                {
                    return await ClaimAsync(session, id, ct);
                }
                catch (NotFoundException e)
                {
                    missing = e;
                }
            }
        }

        throw missing!;
    }

    /// <summary>The audit of one event, by its claim id or Marten event id.</summary>
    public static async Task<AuditedClaim> ClaimAsync(IQuerySession session, Guid id, CancellationToken ct)
    {
        var record = await session.LoadAsync<ClaimRecord>(id, ct)
            ?? await session.Query<ClaimRecord>().FirstOrDefaultAsync(r => r.EventId == id, ct)
            ?? throw new NotFoundException($"No event or claim with id {id}.");
        var amendments = await session.Query<ClaimRecord>()
            .Where(c => c.NegotiationId == record.NegotiationId && c.TrackId == record.TrackId && c.Amends)
            .ToListAsync(ct);
        var superseded = TrackStatusFold.Fold(record.NegotiationId, record.TrackId, [record.Development, .. amendments.Select(a => a.Development)]).SupersededClaims;
        var claims = await ClaimsAsync(session, [record.Id], superseded, ct);
        return claims[record.Id];
    }

    private static async Task<Dictionary<Guid, AuditedClaim>> ClaimsAsync(
        IQuerySession session,
        IReadOnlyCollection<Guid> ids,
        IReadOnlyList<Guid> superseded,
        CancellationToken ct)
    {
        var wanted = ids.ToHashSet();
        var records = (await session.LoadManyAsync<ClaimRecord>(ct, wanted)).ToDictionary(r => r.Id);
        var developments = records.Values.ToDictionary(r => r.Id, r => r.Development);
        var sourceIds = developments.Values.Select(d => d.Claim.Provenance.SourceId).Distinct().ToArray();
        var sources = (await session.Query<Source>().Where(s => sourceIds.Contains(s.SourceId)).ToListAsync(ct)).ToDictionary(s => s.SourceId);
        // One query for the events behind every claim: their sequence, version, time and writer.
        var eventIds = records.Values.Select(r => r.EventId).ToArray();
        var byId = (await session.Events.QueryAllRawEvents().Where(e => e.Id.IsOneOf(eventIds)).ToListAsync(ct)).ToDictionary(e => e.Id);
        var events = records.Values.ToDictionary(
            r => r.Id,
            r => byId.GetValueOrDefault(r.EventId) ?? throw new InvalidOperationException($"The event {r.EventId} of claim {r.Id} is missing from the store."));

        var result = new Dictionary<Guid, AuditedClaim>();
        foreach (var id in wanted)
        {
            var development = developments[id];
            var record = records[id];
            var claim = development.Claim;
            var source = sources[claim.Provenance.SourceId];
            var quote = claim.Provenance.Quote;
            var (sentence, startInSentence) = QuoteLocator.SentenceAround(source.Text, quote.Start, quote.End);
            result[id] = new AuditedClaim(
                id,
                claim.DevelopmentKey,
                development.Kind,
                development.Summary,
                claim.TrackId,
                claim.Provenance.Occurred.ToString(),
                claim.Provenance.SaidBy,
                claim.Note,
                events[id].Sequence,
                events[id].Version,
                record.EventId,
                events[id].Timestamp,
                events[id].UserName,
                source.SourceId,
                source.Outlet,
                source.Title,
                source.Published,
                source.Url,
                new QuoteInContext(quote.Exact, quote.Start, quote.End, sentence, startInSentence),
                superseded.Contains(id))
            {
                Revisions = record.Revised ? await RevisionsAsync(session, events[id], ct) : [],
                Inferred = claim.Inferred,
            };
        }

        return result;
    }

    /// <summary>Follows a revised report back through its revisions to the event that first recorded it.</summary>
    private static async Task<IReadOnlyList<Revision>> RevisionsAsync(IQuerySession session, JasperFx.Events.IEvent latest, CancellationToken ct)
    {
        var revisions = new List<Revision>();
        var current = latest;
        while (current?.Data is Ledger.Domain.Recording.ReportRevised revised)
        {
            revisions.Add(new Revision(current.Id, revised.RevisedBy, revised.RevisedAt, revised.Reason, revised.Changes));
            current = await session.Events.LoadAsync(revised.RevisesEvent, ct);
        }

        return revisions;
    }
}
