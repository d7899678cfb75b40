using System.Globalization;
using System.Text.RegularExpressions;
using Ledger.Audit;
using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Ledger.Infrastructure.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Tracks;

/// <summary>A track as it stood on one date: its phase, what had been exchanged, and how far each agreement was carried out.</summary>
public sealed record TrackHistoryPoint(
    DateOnly AsOf,
    Phase Phase,
    Phase? Alternative,
    IReadOnlyList<ExchangeTotal> Totals,
    IReadOnlyList<AgreementProgress> Agreements);

/// <summary>One agreement's commitment against what its completed stages add up to, for one category and receiving party.</summary>
public sealed record AgreementProgress(string AgreementKey, string Text, string Category, string ToParty, int? Committed, int? CarriedOutMin, int? CarriedOutMax);

/// <summary>The points of a track's history, oldest first; <c>Truncated</c> says the earliest dates were left out.</summary>
public sealed record TrackHistoryView(string NegotiationId, string TrackId, TimeAxes Axes, bool Truncated, IReadOnlyList<TrackHistoryPoint> Points);

/// <summary>
/// How a track changed over time: its status replayed as of every date on which one of its developments occurred
/// (and every date a stage of one of its agreements was carried out), on the knownOn axis given.
/// </summary>
[Tags("Tracks")]
public static partial class TrackHistoryEndpoint
{
    /// <summary>Bounds the replays one request makes; a longer track shows its latest dates.</summary>
    public const int MaxPoints = 120;

    [WolverineGet("/api/negotiations/{id}/tracks/{track}/history", OperationId = "trackHistory", Summary = "Show a track's phase, totals and agreements' progress at each date its developments occurred")]
    [ProducesResponseType<TrackHistoryView>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> History(string id, string track, string? asOf, string? knownOn, IDocumentStore store, CancellationToken ct)
    {
        if (TimeAxesQuery.Parse(asOf, knownOn, out var axes) is { } bad)
        {
            return bad;
        }

        return await Problems.CatchNotFound(async () =>
        {
            await using var session = store.QuerySessionFor(id);
            return JsonResults.Ok(await HistoryAsync(session, id, track, axes, ct));
        });
    }

    public static async Task<TrackHistoryView> HistoryAsync(IQuerySession session, string negotiationId, string trackId, TimeAxes axes, CancellationToken ct)
    {
        var latest = await TrackQueries.StatusAsync(session, negotiationId, trackId, axes, null, ct);
        var last = axes.AsOf ?? DateOnly.MaxValue;
        var knownOn = axes.KnownOn ?? DateOnly.MaxValue;
        var occurred = await session.Query<ClaimRecord>()
            .Where(c => c.NegotiationId == negotiationId && c.TrackId == trackId && !c.Amends && c.OccurredBy <= last && c.Published <= knownOn)
            .Select(c => c.OccurredBy)
            .ToListAsync(ct);
        var stageDates = latest.Tracks[0].Status.Commitments.SelectMany(c => c.Stages).Select(s => DateIn(s.Occurred)).OfType<DateOnly>().Where(d => d <= last);
        var dates = occurred.Concat(stageDates).Distinct().Order().ToList();
        var truncated = dates.Count > MaxPoints;
        var points = new List<TrackHistoryPoint>();
        foreach (var date in dates.Skip(Math.Max(0, dates.Count - MaxPoints)))
        {
            var status = (await TrackQueries.StatusAsync(session, negotiationId, trackId, axes with { AsOf = date }, null, ct)).Tracks[0].Status;
            points.Add(new TrackHistoryPoint(
                date,
                status.Phase.Value,
                status.Phase.Alternative,
                status.Totals,
                [.. status.Commitments.SelectMany(c => c.Fulfilment.Select(f => new AgreementProgress(
                    c.AgreementKey, c.Text, f.Category, f.ToParty,
                    f.Committed is { HasNumber: true } q ? q.Value : null,
                    f.CarriedOut?.Min, f.CarriedOut?.Max)))]));
        }

        return new TrackHistoryView(negotiationId, trackId, axes, truncated, points);
    }

    /// <summary>The date in a reported date ("2025-05-23", "before 2025-07-23"); null when it names only a month or none.</summary>
    private static DateOnly? DateIn(string occurred) =>
        IsoDate().Match(occurred) is { Success: true } m && IsoDates.TryParse(m.Value, out var d) ? d : null;

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
    private static partial Regex IsoDate();
}
