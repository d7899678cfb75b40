using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Ledger.Tracks;
using Marten;

namespace Ledger.Changes;

/// <summary>What changed on a negotiation's tracks between two dates, as known on a third (or now).</summary>
public sealed record NegotiationChanges(string NegotiationId, string Title, DateOnly From, DateOnly To, DateOnly? KnownOn, IReadOnlyList<TrackChanges> Tracks);

/// <summary>Why a diff cannot be asked as given: the option or parameter named, and what is wrong with it.</summary>
public sealed record DiffRequestError(string Field, string Message);

public static class ChangesQuery
{
    /// <summary>
    /// The dates a diff compares, checked before anything is read: <paramref name="from"/> and <paramref name="to"/>
    /// are required dates (yyyy-MM-dd) with from not after to; <paramref name="knownOn"/> is optional.
    /// </summary>
    public static DiffRequestError? Validate(string? from, string? to, string? knownOn, out DateOnly fromDate, out DateOnly toDate, out DateOnly? knownOnDate)
    {
        fromDate = default;
        toDate = default;
        knownOnDate = null;
        if (ParseDate("from", from, required: true, out var f) is { } badFrom)
        {
            return badFrom;
        }

        if (ParseDate("to", to, required: true, out var t) is { } badTo)
        {
            return badTo;
        }

        if (ParseDate("knownOn", knownOn, required: false, out var k) is { } badKnownOn)
        {
            return badKnownOn;
        }

        if (f > t)
        {
            return new DiffRequestError("from", $"'{f:yyyy-MM-dd}' is after to '{t:yyyy-MM-dd}': from must be on or before to");
        }

        (fromDate, toDate, knownOnDate) = (f!.Value, t!.Value, k);
        return null;
    }

    /// <summary>
    /// Each track's status as of <paramref name="from"/> and as of <paramref name="to"/>, both as known on
    /// <paramref name="knownOn"/>, compared. Tracks with nothing changed are left out.
    /// </summary>
    public static async Task<NegotiationChanges> BetweenAsync(IQuerySession session, string? negotiationId, string? trackId, DateOnly from, DateOnly to, DateOnly? knownOn, CancellationToken ct)
    {
        var before = await TrackQueries.StatusAsync(session, negotiationId, trackId, new TimeAxes(from, knownOn), null, ct);
        var after = await TrackQueries.StatusAsync(session, before.Negotiation.Id, trackId, new TimeAxes(to, knownOn), null, ct);
        var earlier = before.Tracks.ToDictionary(t => t.Track.Id, t => t.Status, StringComparer.Ordinal);
        var tracks = after.Tracks
            .Where(t => earlier.ContainsKey(t.Track.Id))
            .Select(t => TrackChangesBetween.Compare(earlier[t.Track.Id], t.Status))
            .Where(c => c.Changes.Count > 0)
            .ToList();
        return new NegotiationChanges(after.Negotiation.Id, after.Negotiation.Title, from, to, knownOn, tracks);
    }

    private static DiffRequestError? ParseDate(string name, string? text, bool required, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return required ? new DiffRequestError(name, "is required (a date, yyyy-MM-dd)") : null;
        }

        if (!IsoDates.TryParse(text, out var parsed))
        {
            return new DiffRequestError(name, IsoDates.NotADate(text));
        }

        date = parsed;
        return null;
    }
}
