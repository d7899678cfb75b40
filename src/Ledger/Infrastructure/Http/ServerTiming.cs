using System.Diagnostics;
using System.Globalization;

namespace Ledger.Infrastructure.Http;

/// <summary>
/// The phases of a request and how long each took, sent back in the standard <c>Server-Timing</c> header
/// (<c>read;dur=1.2, lock;dur=0.4, …</c>, milliseconds) so a client, a browser's developer tools or the bench can see
/// where an append's time goes without a profiler.
/// </summary>
public sealed class ServerTiming
{
    public const string Header = "Server-Timing";

    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly List<(string Phase, double Milliseconds)> _phases = [];
    private TimeSpan _last;

    /// <summary>Ends the current phase under <paramref name="phase"/>.</summary>
    public void Mark(string phase)
    {
        var now = _watch.Elapsed;
        _phases.Add((phase, (now - _last).TotalMilliseconds));
        _last = now;
    }

    public override string ToString() =>
        string.Join(", ", _phases.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Phase};dur={p.Milliseconds:0.###}")));

    /// <summary>Reads a <c>Server-Timing</c> header back into phase → milliseconds.</summary>
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
