using System.Diagnostics;
using System.Globalization;

namespace Ledger.Infrastructure.Http;

/// <summary>
/// The phases of a request and how long each took, sent back in the standard <c>Server-Timing</c> header
/// (<c>read;dur=1.2, lock;dur=0.4, …</c>, milliseconds) so a client, a browser's developer tools or the bench can see
/// where an append's time goes without a profiler. Each phase is also an activity of <see cref="Telemetry.ActivitySource"/>
/// (<c>&lt;operation&gt;.&lt;phase&gt;</c>, a child of the request's), for a tracer that listens.
/// </summary>
public sealed class ServerTiming(string operation)
{
    public const string Header = "Server-Timing";

    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly List<(string Phase, double Milliseconds)> _phases = [];
    private TimeSpan _last;

    /// <summary>Ends the current phase under <paramref name="phase"/>.</summary>
    public void Mark(string phase)
    {
        var now = _watch.Elapsed;
        _phases.Add((phase, (now - _last).TotalMilliseconds));
        if (Telemetry.ActivitySource.HasListeners())
        {
            // Started and stopped once the phase is over, with the times it began and ended.
            using var activity = Telemetry.ActivitySource.StartActivity($"{operation}.{phase}", ActivityKind.Internal, parentContext: default, startTime: _started + _last);
            activity?.SetEndTime((_started + now).UtcDateTime);
        }

        _last = now;
    }

    public override string ToString() =>
        string.Join(", ", _phases.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Phase};dur={p.Milliseconds:0.###}")));
}
