using Wolverine;

namespace Ledger.Subscriptions;

/// <summary>
/// Several `serve` processes on one database. Wolverine runs <see cref="DurabilityMode.Balanced"/>: every node
/// keeps a heartbeat row, one node leads, and the leader hands the inbox and outbox of a node whose heartbeat has
/// stopped to the live ones, so a webhook delivery owned by a dead node is still made (at least once). Marten's
/// async daemon runs HotCold (<see cref="Infrastructure.LedgerStore.UseHotColdDaemon"/>): each projection and
/// subscription runs on the one node holding its advisory lock. The timings below bring a takeover after a
/// <c>kill -9</c> well within 30 seconds.
/// </summary>
public static class Nodes
{
    /// <summary>How often a node writes its heartbeat and, as leader, checks the others.</summary>
    public static readonly TimeSpan HealthCheck = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A node whose heartbeat is this old is taken for dead (after two checks in a row) and its messages are handed
    /// on: five missed heartbeats, so a node in a long pause is not ejected while it still works.
    /// </summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    public static void ConfigureDurability(DurabilitySettings durability)
    {
        ArgumentNullException.ThrowIfNull(durability);
        durability.Mode = DurabilityMode.Balanced;
        durability.FirstHealthCheckExecution = TimeSpan.FromSeconds(1);
        durability.HealthCheckPollingTime = HealthCheck;
        durability.StaleNodeTimeout = StaleAfter;
        durability.CheckAssignmentPeriod = TimeSpan.FromSeconds(5);
        durability.NodeReassignmentPollingTime = TimeSpan.FromSeconds(2);
        durability.OrphanedMessageSweepPollingTime = TimeSpan.FromSeconds(2);
    }
}
