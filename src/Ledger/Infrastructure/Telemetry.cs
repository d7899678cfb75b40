using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ledger.Infrastructure;

/// <summary>
/// The ledger's own metrics and traces, under the name "Ledger": an OpenTelemetry exporter, <c>dotnet-counters</c>
/// or <c>dotnet-trace</c> picks them up with that name, and they cost nothing while nobody listens.
/// </summary>
public static class Telemetry
{
    public const string Name = "Ledger";

    public static readonly Meter Meter = new(Name);

    /// <summary>Activities around the phases of a write (the phases its <c>Server-Timing</c> header reports).</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>
    /// A long track's status that had to be folded whole because the window of its latest reports could not prove a
    /// headline field: often means the window is too small for the tracks being read.
    /// </summary>
    public static readonly Counter<long> WholeTrackFolds = Meter.CreateCounter<long>(
        "ledger.status.whole_track_folds", unit: "{fold}", description: "Long track statuses folded whole because their window could not prove a headline field");
}
