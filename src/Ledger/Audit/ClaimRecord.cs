using JasperFx.Events;
using Ledger.Domain.Developments;
using Ledger.Domain.Recording;
using Marten;
using Marten.Schema;
using Marten.Events.Projections;

namespace Ledger.Audit;

/// <summary>
/// One row per claim, keyed by its deterministic claim id. It is the store's guarantee that a report is
/// recorded once (a second insert of the same id fails the whole transaction), the index from a claim to
/// its event and to the characters of its source, and the read model that replay queries: a track's claims
/// up to a date are one indexed range, not the whole history. The stream version, global sequence and
/// timestamp are settled as the transaction commits, so audits read them from the event itself.
/// </summary>
public sealed record ClaimRecord(
    Guid Id,
    string NegotiationId,
    string TrackId,
    string DevelopmentKey,
    string Kind,
    string SourceId,
    int QuoteStart,
    int QuoteEnd,
    DateOnly OccurredBy,
    DateOnly Published,
    bool Amends,
    string StreamKey,
    Guid EventId,
    Development Development)
{
    /// <summary>Who recorded the event that set this content (the writer of the import or request).</summary>
    public string? RecordedBy { get; init; }

    /// <summary>Whether the recorder has revised this report's coding; <see cref="EventId"/> is then the latest revision.</summary>
    public bool Revised { get; init; }

    /// <summary>For a position statement, "party/topic": what a later statement of the same party on the same topic replaces.</summary>
    public string? Subject { get; init; }

    /// <summary>Whether the development is shown on other tracks too (<see cref="Claim.AlsoTracks"/>).</summary>
    public bool Linked { get; init; }

    /// <summary>For an exchange that carries out an agreement, or a running total of one, the agreement's development key.</summary>
    public string? AgreementKey { get; init; }

    /// <summary>For a correction or retraction, the claim it supersedes.</summary>
    public Guid? AmendedClaimId { get; init; }

    /// <summary>
    /// For a completed exchange, its counts (those that are numbers) as <c>category|to-party|count|qualifier</c>, separated by <c>;</c> (ids are
    /// a-z, 0-9 and '-', so the separators cannot occur in them): a narrow column the track's totals are summed from.
    /// </summary>
    public string? TransferCounts { get; init; }

    /// <summary>
    /// What a track's status selects on is held in real columns (and indexed) so that SQL can pick out the few claims
    /// a long track's status needs — its latest reports, the latest moves of its phase, the latest statement on each
    /// subject, the corrections — and add up its totals, without reading JSON. Marten calls this when it maps the type.
    /// </summary>
    public static void ConfigureMarten(DocumentMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        foreach (var member in new[]
        {
            nameof(NegotiationId), nameof(TrackId), nameof(DevelopmentKey), nameof(Kind), nameof(OccurredBy), nameof(Published), nameof(Subject), nameof(AmendedClaimId),
            nameof(SourceId), nameof(TransferCounts), nameof(AgreementKey), nameof(Linked),
        })
        {
            mapping.DuplicateField(member);
        }

        // Carries what the visibility filter and the claim count need, so a count can be answered from the index.
        mapping.AddIndex("negotiation_id", "track_id", "occurred_by").IncludeColumns = ["published", "amended_claim_id"];
        mapping.AddIndex("negotiation_id", "track_id", "development_key");
        // A write checks what the ledger already says of the development keys it names, whatever their track.
        mapping.AddIndex("negotiation_id", "development_key").IncludeColumns = ["track_id", "kind"];
        // Carries what the exchange totals add up, so they are summed from the index without fetching the rows.
        mapping.AddIndex("negotiation_id", "track_id", "kind", "occurred_by").IncludeColumns =
            ["published", "amended_claim_id", "development_key", "source_id", "transfer_counts", "id"];
        mapping.AddIndex("negotiation_id", "track_id", "subject", "occurred_by").Predicate = "subject is not null";
        var corrections = mapping.AddIndex("negotiation_id", "track_id", "published");
        corrections.Predicate = "amended_claim_id is not null";
        corrections.IncludeColumns = ["amended_claim_id"];
        mapping.AddIndex("source_id");
        // An agreement's status reads the exchanges and running totals that name it, whatever their track.
        mapping.AddIndex("negotiation_id", "agreement_key").Predicate = "agreement_key is not null";
        mapping.AddIndex("negotiation_id").Predicate = "linked";
        mapping.AddIndex("amended_claim_id").Predicate = "amended_claim_id is not null";
    }

    public static ClaimRecord From(IEvent e, Development development, bool revised = false)
    {
        var claim = development.Claim;
        return new ClaimRecord(
            claim.ClaimId,
            claim.NegotiationId,
            claim.TrackId,
            claim.DevelopmentKey,
            development.Kind,
            claim.Provenance.SourceId,
            claim.Provenance.Quote.Start,
            claim.Provenance.Quote.End,
            claim.Provenance.Occurred.Latest,
            claim.Provenance.Published,
            development is ReportCorrected or ReportRetracted,
            e.StreamKey!,
            e.Id,
            development)
        {
            RecordedBy = e.UserName,
            Revised = revised,
            Subject = development is PositionStated p ? $"{p.Party}/{p.Topic}" : null,
            AgreementKey = Recorder.AgreementNamed(development),
            Linked = claim.AlsoTracks.Count > 0,
            AmendedClaimId = development switch
            {
                ReportCorrected c => c.SupersededClaimId,
                ReportRetracted r => r.RetractedClaimId,
                _ => null,
            },
            TransferCounts = development is ExchangeCompleted exchange
                ? string.Join(';', exchange.Transfers.Where(t => t.Count is { HasNumber: true }).Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{exchange.CategoryOf(t)}|{t.ToParty}|{t.Count!.Value}|{t.Count.Qualifier}")))
                : null,
        };
    }
}

public sealed partial class ClaimRegistryProjection : EventProjection
{
    public ClaimRegistryProjection()
    {
        // Only developments make claims: a rebuild then asks the store for their events alone.
        foreach (var type in DevelopmentKinds.Types)
        {
            IncludeType(type);
        }

        IncludeType<ReportRevised>();
        IncludeType<ReportWithdrawn>();
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case Development development:
                // Insert, not upsert: a second recording of the same claim fails the whole transaction.
                operations.Insert(ClaimRecord.From(e, development));
                break;
            case ReportRevised revised:
                operations.Store(ClaimRecord.From(e, revised.After, revised: true));
                break;
            case ReportWithdrawn withdrawn:
                operations.Delete<ClaimRecord>(withdrawn.ClaimId);
                break;
        }

        return ValueTask.CompletedTask;
    }
}
