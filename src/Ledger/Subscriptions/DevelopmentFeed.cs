using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace Ledger.Subscriptions;

/// <summary>
/// A Marten event subscription, run by the async daemon in global sequence order: each recorded development is
/// handed to the stream clients and published as a <see cref="DevelopmentRecorded"/> Wolverine message through
/// the transactional outbox (committed with the subscription's progress).
/// </summary>
public sealed class DevelopmentFeed : BatchSubscription
{
    public const string Name = "development_feed";

    private readonly DevelopmentBroadcaster _broadcaster;

    public DevelopmentFeed(DevelopmentBroadcaster broadcaster)
        : base(Name)
    {
        _broadcaster = broadcaster;
    }

    public override async Task ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, IMessageBus bus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(bus);
        foreach (var e in page.Events.OrderBy(e => e.Sequence))
        {
            if (DevelopmentRecorded.From(e) is { } recorded)
            {
                _broadcaster.Publish(recorded);
                await bus.PublishAsync(recorded);
            }
        }
    }
}
