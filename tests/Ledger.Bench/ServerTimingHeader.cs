using System.Globalization;

namespace Ledger.Bench;

/// <summary>Reads a <c>Server-Timing</c> header (<c>read;dur=1.2, lock;dur=0.4</c>) back into phase → milliseconds.</summary>
public static class ServerTimingHeader
{
    public static Dictionary<string, double> Parse(string header)
    {
        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var entry in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(';', StringSplitOptions.TrimEntries);
            var duration = parts.Skip(1).FirstOrDefault(p => p.StartsWith("dur=", StringComparison.Ordinal));
            if (duration is not null && double.TryParse(duration[4..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            {
                phases[parts[0]] = phases.GetValueOrDefault(parts[0]) + ms;
            }
        }

        return phases;
    }
}
