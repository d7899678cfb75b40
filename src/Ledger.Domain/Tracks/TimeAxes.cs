using Ledger.Domain.Developments;

namespace Ledger.Domain.Tracks;

/// <summary>
/// The two time axes of replay. <see cref="AsOf"/>: the world as it stood on that day (developments that
/// had certainly occurred by then). <see cref="KnownOn"/>: only what had been published by then.
/// Either may be left open. The third axis, what the ledger itself showed at a moment of recording, is
/// answered by the store from its own timestamps.
/// </summary>
public sealed record TimeAxes(DateOnly? AsOf = null, DateOnly? KnownOn = null)
{
    public static readonly TimeAxes Now = new();

    public bool Includes(Development development)
    {
        var provenance = development.Claim.Provenance;
        var known = KnownOn is null || provenance.Published <= KnownOn;

        // A correction or retraction changes what is known about a development, not when it happened:
        // only the known-on axis applies to it.
        if (development is ReportCorrected or ReportRetracted)
        {
            return known;
        }

        return known && (AsOf is null || provenance.Occurred.Latest <= AsOf);
    }
}
