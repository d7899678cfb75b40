using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace Ledger.Subscriptions;

/// <summary>
/// A Marten event subscription, run by the async daemon's leader in global sequence order: each recorded development
/// is published as a <see cref="DevelopmentRecorded"/> Wolverine message through the transactional outbox
/// (committed with the subscription's progress). Stream clients are fed on every node by its own
/// <see cref="DevelopmentFollower"/>, not from here, since this runs on one node only.
/// </summary>
public sealed class DevelopmentFeed : BatchSubscription
{
    public const string Name = "development_feed";

    private static readonly DeliveryOptions MainDatabase = new() { TenantId = JasperFx.StorageConstants.DefaultTenantId };

    public DevelopmentFeed()
        : base(Name)
    {
    }

    public override async Task ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, IMessageBus bus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(bus);
        foreach (var e in page.Events.OrderBy(e => e.Sequence))
        {
            if (DevelopmentRecorded.From(e) is { } recorded)
            {
                // Handled in the main database, where webhooks and their deliveries live, whichever database the
                // development was recorded in (a subscription of a partition database would otherwise stamp its own).
                await bus.PublishAsync(recorded, MainDatabase);
            }
        }
    }
}
