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
        foreach (var tenant in Partitioning.Of(store).OneTenantPerDatabase)
        {
            using var daemon = await store.BuildProjectionDaemonAsync(tenant == JasperFx.StorageConstants.DefaultTenantId ? null : tenant);
            await daemon.CatchUpAsync(ct);
        }
    }
}
