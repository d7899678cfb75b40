using System.Globalization;
using Ledger.Audit;
using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Ledger.Infrastructure.Http;
using Ledger.Sources;
using Ledger.Timeline;
using Ledger.Tracks;
using Marten;
using Wolverine.Http;

using Microsoft.AspNetCore.Mvc;
namespace Ledger.Api;

/// <summary>A source with its text and the characters of it that claims cite.</summary>
public sealed record SourceWithText(SourceSummary Source, string Text);

/// <summary>
/// The read side of the API. Every answer has the JSON shape of the command line's <c>--format json</c>
/// (the same serializer options), so the two never disagree.
/// </summary>
public static class ReadEndpoints
{
    [WolverineGet("/api/negotiations", OperationId = "listNegotiations")]
    [ProducesResponseType<IReadOnlyList<Ledger.Domain.Negotiations.Negotiation>>(200, "application/json")]
    public static async Task<IResult> Negotiations(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return JsonResults.Ok(await TrackQueries.NegotiationsAsync(session, ct));
    }

    [WolverineGet("/api/negotiations/{id}", OperationId = "getNegotiation")]
    [ProducesResponseType<Ledger.Domain.Negotiations.Negotiation>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Negotiation(string id, IDocumentStore store, CancellationToken ct) =>
        await Guarded(async () =>
        {
            await using var session = store.QuerySession();
            return JsonResults.Ok(await TrackQueries.NegotiationAsync(session, id, ct));
        });

    [WolverineGet("/api/negotiations/{id}/status", OperationId = "negotiationStatus")]
    [ProducesResponseType<NegotiationStatus>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static Task<IResult> Status(string id, string? asOf, string? knownOn, string? recordedAt, IDocumentStore store, CancellationToken ct) =>
        StatusOf(id, null, asOf, knownOn, recordedAt, store, ct);

    [WolverineGet("/api/negotiations/{id}/tracks/{track}/status", OperationId = "trackStatus")]
    [ProducesResponseType<NegotiationStatus>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static Task<IResult> TrackStatus(string id, string track, string? asOf, string? knownOn, string? recordedAt, IDocumentStore store, CancellationToken ct) =>
        StatusOf(id, track, asOf, knownOn, recordedAt, store, ct);

    [WolverineGet("/api/negotiations/{id}/timeline", OperationId = "timeline")]
    [ProducesResponseType<IReadOnlyList<TimelineEntry>>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Timeline(string id, string? track, string? asOf, string? knownOn, IDocumentStore store, CancellationToken ct)
    {
        if (Axes(asOf, knownOn, out var axes) is { } bad)
        {
            return bad;
        }

        return await Guarded(async () =>
        {
            await using var session = store.QuerySession();
            var negotiation = await TrackQueries.NegotiationAsync(session, id, ct);
            return JsonResults.Ok(await TimelineQueries.ForAsync(session, negotiation.Id, track, axes, ct));
        });
    }

    [WolverineGet("/api/negotiations/{id}/tracks/{track}/audit", OperationId = "auditTrack")]
    [ProducesResponseType<TrackAudit>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Audit(string id, string track, string? field, string? asOf, string? knownOn, IDocumentStore store, CancellationToken ct)
    {
        if (Axes(asOf, knownOn, out var axes) is { } bad)
        {
            return bad;
        }

        return await Guarded(async () =>
        {
            await using var session = store.QuerySession();
            return JsonResults.Ok(await AuditQueries.TrackAsync(session, id, track, string.IsNullOrWhiteSpace(field) ? null : field, axes, ct));
        });
    }

    [WolverineGet("/api/events/{id}", OperationId = "auditEvent")]
    [ProducesResponseType<AuditedClaim>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Event(string id, IDocumentStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return Problems.Field("id", $"'{id}' is not an event or claim id (a UUID)");
        }

        return await Guarded(async () =>
        {
            await using var session = store.QuerySession();
            return JsonResults.Ok(await AuditQueries.ClaimAsync(session, guid, ct));
        });
    }

    [WolverineGet("/api/sources", OperationId = "listSources")]
    [ProducesResponseType<IReadOnlyList<SourceSummary>>(200, "application/json")]
    public static async Task<IResult> Sources(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return JsonResults.Ok(await SourceQueries.AllAsync(session, ct));
    }

    [WolverineGet("/api/sources/{id}", OperationId = "getSource")]
    [ProducesResponseType<SourceWithText>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Source(string id, IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var source = await session.LoadAsync<Source>(StreamKeys.Source(id), ct);
        if (source is null)
        {
            return Problems.NotFound($"No source '{id}' is registered.");
        }

        var citations = await session.Query<ClaimRecord>().Where(c => c.SourceId == id).ToListAsync(ct);
        return JsonResults.Ok(new SourceWithText(SourceQueries.Summarise(source, citations), source.Text));
    }

    private static async Task<IResult> StatusOf(string id, string? track, string? asOf, string? knownOn, string? recordedAt, IDocumentStore store, CancellationToken ct)
    {
        if (Axes(asOf, knownOn, out var axes) is { } bad)
        {
            return bad;
        }

        DateTimeOffset? recorded = null;
        if (!string.IsNullOrWhiteSpace(recordedAt))
        {
            if (!DateTimeOffset.TryParse(recordedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return Problems.Field("recordedAt", $"'{recordedAt}' is not a moment (ISO 8601, e.g. 2025-07-24T12:00:00Z)");
            }

            recorded = at;
        }

        return await Guarded(async () =>
        {
            await using var session = store.QuerySession();
            return JsonResults.Ok(await TrackQueries.StatusAsync(session, id, track, axes, recorded, ct));
        });
    }

    /// <summary>Parses <c>asOf</c> and <c>knownOn</c> (yyyy-MM-dd); a problem result when either is not a date.</summary>
    public static IResult? Axes(string? asOf, string? knownOn, out TimeAxes axes)
    {
        axes = TimeAxes.Now;
        DateOnly? a = null, k = null;
        foreach (var (name, text) in new[] { ("asOf", asOf), ("knownOn", knownOn) })
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return Problems.Field(name, $"'{text}' is not a date (yyyy-MM-dd)");
            }

            if (name == "asOf")
            {
                a = date;
            }
            else
            {
                k = date;
            }
        }

        axes = new TimeAxes(a, k);
        return null;
    }

    private static async Task<IResult> Guarded(Func<Task<IResult>> read)
    {
        try
        {
            return await read();
        }
        catch (NotFoundException e)
        {
            return Problems.NotFound(e.Message);
        }
    }
}
