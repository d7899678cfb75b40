using System.Globalization;
using System.Text.Json.Serialization;

namespace Ledger.Domain.Provenance;

/// <summary>How exactly a source pins down when something happened.</summary>
public enum DatePrecision
{
    /// <summary>On that very day.</summary>
    Day,
    /// <summary>Some time in that month.</summary>
    Month,
    /// <summary>Some time before that day (the day itself excluded).</summary>
    Before,
    /// <summary>No later than the end of that day, month or period ("by the end of August").</summary>
    ByEndOf,
    /// <summary>The source gives no date: it happened by <see cref="FuzzyDate.Date"/>, the day the source was published.</summary>
    Undated,
}

/// <summary>
/// A date as a source gives it. <see cref="Date"/> is the anchor the source names; the precision says how
/// to read it. As-of replay only counts a development once it has certainly happened, i.e. from
/// <see cref="Latest"/> on, so a vague date never makes something appear earlier than the source allows.
/// </summary>
public sealed record FuzzyDate(DateOnly Date, DatePrecision Precision = DatePrecision.Day)
{
    [JsonIgnore]
    public DateOnly Earliest => Precision switch
    {
        DatePrecision.Month => new DateOnly(Date.Year, Date.Month, 1),
        DatePrecision.Before or DatePrecision.ByEndOf or DatePrecision.Undated => DateOnly.MinValue,
        _ => Date,
    };

    [JsonIgnore]
    public DateOnly Latest => Precision switch
    {
        DatePrecision.Month => new DateOnly(Date.Year, Date.Month, DateTime.DaysInMonth(Date.Year, Date.Month)),
        DatePrecision.Before => Date.AddDays(-1),
        _ => Date,
    };

    public static FuzzyDate On(DateOnly date) => new(date);

    /// <summary>Whether both can be right: their spans of possible days overlap ("June" and "2 June" can; "1 June" and "2 June" cannot).</summary>
    public bool CompatibleWith(FuzzyDate other) => Earliest <= other.Latest && other.Earliest <= Latest;

    /// <summary>
    /// The earliest and latest years a parsed date may name. Sources report recent diplomacy; a date far outside
    /// this range is a typo or a probe, and at the edges of the calendar (0001-01-01, 9999-12-31) the arithmetic
    /// of <see cref="Earliest"/> and <see cref="Latest"/> would fail.
    /// </summary>
    public const int MinYear = 1800;

    /// <inheritdoc cref="MinYear"/>
    public const int MaxYear = 2200;

    /// <summary>
    /// Parses the forms used in event files: <c>2025-07-23</c>, <c>2025-07</c> (month),
    /// <c>before 2025-07-23</c>, <c>by 2025-08-31</c>, <c>by end of 2025-08</c>, in the years
    /// <see cref="MinYear"/> to <see cref="MaxYear"/>.
    /// </summary>
    public static bool TryParse(string? text, out FuzzyDate? value)
    {
        if (!TryParseAnyYear(text, out value))
        {
            return false;
        }

        if (value!.Date.Year is < MinYear or > MaxYear)
        {
            value = null;
            return false;
        }

        return true;
    }

    private static bool TryParseAnyYear(string? text, out FuzzyDate? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var precision = DatePrecision.Day;
        if (s.StartsWith("undated, published ", StringComparison.OrdinalIgnoreCase))
        {
            // The form ToString gives an undated report, so that facts compared as text (disputes) read it back: it happened
            // by the day its source was published, and is compatible with any date up to that day.
            precision = DatePrecision.Undated;
            s = s["undated, published ".Length..].Trim();
        }
        else if (s.StartsWith("before ", StringComparison.OrdinalIgnoreCase))
        {
            precision = DatePrecision.Before;
            s = s["before ".Length..].Trim();
        }
        else if (s.StartsWith("by end of ", StringComparison.OrdinalIgnoreCase))
        {
            precision = DatePrecision.ByEndOf;
            s = s["by end of ".Length..].Trim();
        }
        else if (s.StartsWith("by ", StringComparison.OrdinalIgnoreCase))
        {
            precision = DatePrecision.ByEndOf;
            s = s["by ".Length..].Trim();
        }

        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            value = new FuzzyDate(day, precision);
            return true;
        }

        if (DateOnly.TryParseExact(s, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            value = precision == DatePrecision.Day
                ? new FuzzyDate(month, DatePrecision.Month)
                // "by end of 2025-08" means no later than the month's last day.
                : new FuzzyDate(new DateOnly(month.Year, month.Month, DateTime.DaysInMonth(month.Year, month.Month)), precision);
            return true;
        }

        return false;
    }

    public override string ToString() => Precision switch
    {
        DatePrecision.Month => Date.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        DatePrecision.Before => $"before {Date:yyyy-MM-dd}",
        DatePrecision.ByEndOf => $"by {Date:yyyy-MM-dd}",
        DatePrecision.Undated => $"undated, published {Date:yyyy-MM-dd}",
        _ => Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };
}
