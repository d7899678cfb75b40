using Marten;

namespace Ledger.Infrastructure;

public static class Projections
{
    /// <summary>
    /// Runs the async projections up to the latest event and stops: how one-shot commands, which host no
    /// daemon, see an up-to-date timeline.
    /// </summary>
    public static async Task CatchUpAsync(IDocumentStore store, CancellationToken ct)
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.CatchUpAsync(ct);
    }
}
