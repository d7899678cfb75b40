using Ledger.Domain.Tracks;

namespace Ledger.Infrastructure.Http;

/// <summary>The two time axes as query parameters, read the same way by status, timeline and audit.</summary>
public static class TimeAxesQuery
{
    /// <summary>Parses <c>asOf</c> and <c>knownOn</c> (yyyy-MM-dd); a problem result when either is not a date.</summary>
    public static IResult? Parse(string? asOf, string? knownOn, out TimeAxes axes)
    {
        axes = TimeAxes.Now;
        DateOnly? a = null, k = null;
        foreach (var (name, text) in new[] { ("asOf", asOf), ("knownOn", knownOn) })
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (!IsoDates.TryParse(text, out var date))
            {
                return Problems.Field(name, IsoDates.NotADate(text));
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
}
