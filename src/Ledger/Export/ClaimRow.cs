using System.Globalization;
using Ledger.Audit;
using Ledger.Domain.Developments;
using Ledger.Domain.Provenance;
using Ledger.Sources;

namespace Ledger.Export;

/// <summary>
/// One claim as a flat row, named the way event-data users (ACLED's columns) expect: when it happened and how
/// precisely, who acted and towards whom, what kind of development, its counts, and the source words behind it.
/// </summary>
public sealed record ClaimRow(
    string EventDate,
    string EventDatePrecision,
    string EventDateLatest,
    string? Actor1,
    string? Actor2,
    string? SaidBy,
    string Negotiation,
    string Track,
    string SubEventType,
    string DevelopmentKey,
    string Summary,
    string? Counts,
    string Source,
    string? SourceOutlet,
    string? SourceUrl,
    string SourcePublished,
    string Quote,
    int QuoteStart,
    int QuoteEnd,
    Guid ClaimId,
    string? Notes)
{
    public static ClaimRow From(ClaimRecord record, Source? source)
    {
        var development = record.Development;
        var claim = development.Claim;
        var provenance = claim.Provenance;
        var (actor1, actor2) = Actors(development);
        var said = provenance.SaidBy;
        return new ClaimRow(
            provenance.Occurred.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Precision(provenance.Occurred.Precision),
            provenance.Occurred.Latest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            actor1 ?? said?.Party,
            actor2,
            said?.Actor ?? said?.ResolvedActor,
            claim.NegotiationId,
            claim.TrackId,
            development.Kind,
            claim.DevelopmentKey,
            development.Summary,
            CountsOf(development),
            provenance.SourceId,
            source?.Outlet ?? provenance.Outlet,
            source?.Url,
            provenance.Published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            provenance.Quote.Exact,
            provenance.Quote.Start,
            provenance.Quote.End,
            claim.ClaimId,
            claim.Note);
    }

    public static string Precision(DatePrecision precision) => precision switch
    {
        DatePrecision.Month => "month",
        DatePrecision.Before => "before",
        DatePrecision.ByEndOf => "by",
        DatePrecision.Undated => "undated",
        _ => "day",
    };

    /// <summary>The party a development's kind has acting, and the party it acts towards, where the kind names them.</summary>
    private static (string? Actor1, string? Actor2) Actors(Development development) => development switch
    {
        ProposalMade d => (d.ProposedBy, d.ProposedTo),
        ProposalAnswered d => (d.RespondingParty, null),
        AgreementReached d => (d.Parties.ElementAtOrDefault(0), d.Parties.Count > 1 ? string.Join(';', d.Parties.Skip(1)) : null),
        ExchangeReported d => (null, d.Transfers.Count == 0 ? null : string.Join(';', d.Transfers.Select(t => t.ToParty).Distinct(StringComparer.Ordinal))),
        PositionStated d => (d.Party, null),
        DelegationChanged d => (d.Party, null),
        DocumentHandedOver d => (d.FromParty, d.ToParty),
        AssessmentMade d => (d.ByParty, null),
        DeadlineSet d => (d.SetBy, null),
        StatementMade d => (d.By, null),
        AppealMade d => (d.By, d.To.Count == 0 ? null : string.Join(';', d.To)),
        AllegationMade d => (d.By, d.Against),
        _ => (null, null),
    };

    /// <summary>Counts with their categories and recipients: <c>prisoners-of-war to ukraine: at least 1,200</c>, separated by <c>; </c>.</summary>
    private static string? CountsOf(Development development)
    {
        IEnumerable<string> counts = development switch
        {
            ProposalMade d => d.Quantities.Select(Quantity),
            AgreementReached d => d.Quantities.Select(Quantity),
            ExchangeReported d => d.Transfers.Where(t => t.Count is not null).Select(t => $"{d.CategoryOf(t)} to {t.ToParty}: {t.Count!.ToInvariantString()}"),
            TotalReported d => d.Transfers.Where(t => t.Count is not null).Select(t => $"{t.Category ?? d.Category} to {t.ToParty}: {t.Count!.ToInvariantString()}"),
            _ => [],
        };
        var joined = string.Join("; ", counts);
        return joined.Length == 0 ? null : joined;

        static string Quantity(CategoryQuantity q) => $"{q.Category}{(q.ToParty is null ? " each" : $" to {q.ToParty}")}: {q.Count.ToInvariantString()}";
    }
}
