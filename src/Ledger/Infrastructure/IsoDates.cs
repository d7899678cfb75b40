using System.Globalization;

namespace Ledger.Infrastructure;

/// <summary>
/// Dates as people type them into options, query parameters and source files: YYYY-MM-DD, nothing else, and one way
/// of saying that a text is not one.
/// </summary>
public static class IsoDates
{
    public static bool TryParse(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static string NotADate(string? text) => $"'{text}' is not a date (YYYY-MM-DD)";
}
