using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Ledger.Audit;
using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Recording;
using Ledger.Domain.Sources;
using Ledger.Negotiations;
using Ledger.Sources;
using Ledger.Timeline;
using Ledger.Tracks;
using Marten;
using Npgsql;
using Weasel.Core;

namespace Ledger.Infrastructure;

/// <summary>The one place the event store is configured, used alike by the command line, the server and the tests.</summary>
public static class LedgerStore
{
    public const string DefaultSchema = "ledger";

    /// <summary>
    /// How many events the daemon fetches and applies per batch (Marten's default is 500). A rebuild writes each
    /// batch in one transaction, so ten times fewer round trips and commits; a daemon catching up live rarely has
    /// that many waiting.
    /// </summary>
    public const int EventBatchSize = 5_000;

    public static StoreOptions ConfigureLedger(this StoreOptions options, string connectionString, string schema = DefaultSchema, int eventBatchSize = EventBatchSize, Partitioning? partitioning = null)
    {
        void Batch(AsyncOptions o) => o.BatchSize = eventBatchSize;

        partitioning ??= Partitioning.None;
        if (partitioning.IsPartitioned)
        {
            // A database per tenant: the main database is the default tenant, each moved negotiation a tenant of its database.
            options.MultiTenantedDatabases(databases =>
            {
                databases.AddMultipleTenantDatabase(WithAutoPrepare(connectionString), Partitioning.MainDatabase).ForTenants().AsDefault();
                foreach (var database in partitioning.Databases)
                {
                    databases.AddMultipleTenantDatabase(WithAutoPrepare(database.ConnectionString), database.Name)
                        .ForTenants([.. database.Negotiations]);
                }
            });

            // Everything not moved elsewhere is the default tenant, in the main database.
            options.Advanced.DefaultTenantUsageEnabled = true;
        }
        else
        {
            options.Connection(WithAutoPrepare(connectionString));
        }

        partitioning.Attach(options);
        options.DatabaseSchemaName = schema;
        options.Events.DatabaseSchemaName = schema;
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        // jsonb reorders object keys, so the polymorphic "$type" of a claim is not always first when read back.
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, json =>
        {
            json.AllowOutOfOrderMetadataProperties = true;
            json.TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.WithAddedModifier(
                json.TypeInfoResolver ?? new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
                DevelopmentKinds.DeclarePolymorphism);
        });

        options.Events.StreamIdentity = StreamIdentity.AsString;
        options.Events.MetadataConfig.HeadersEnabled = true;
        options.Events.MetadataConfig.UserNameEnabled = true;
        // Audits go from a claim to its event by the event's id; without this index that is a scan of every event.
        options.Events.EnableUniqueIndexOnEventId = true;

        // Appends NOTIFY the async daemon, so subscribers and the timeline hear of a development within
        // milliseconds instead of at the next poll (see the Performance section of the README for its price).
        options.Events.UseListenNotifyForEventAppends = true;

        options.Events.AddEventTypes(
        [
            typeof(NegotiationOpened), typeof(PartyRegistered), typeof(ActorRegistered), typeof(TrackOpened), typeof(CategoryRegistered), typeof(RoleHeld),
            typeof(SourceRegistered),
            typeof(ReportRevised), typeof(ReportWithdrawn),
            .. DevelopmentKinds.Types,
        ]);

        // Inline: written in the same transaction as the events, so a read after an append sees it.
        options.Projections.Add<NegotiationProjection>(ProjectionLifecycle.Inline, Batch);
        options.Projections.Add<SourceProjection>(ProjectionLifecycle.Inline, Batch);
        options.Projections.Add<ClaimRegistryProjection>(ProjectionLifecycle.Inline, Batch);

        // Live: what a track stream held at a past moment of recording, replayed on demand.
        options.Projections.Add<TrackHistoryProjection>(ProjectionLifecycle.Live);

        // Async: a flat, cross-stream read model that may trail the writes by moments.
        options.Projections.Add<TimelineProjection>(ProjectionLifecycle.Async, Batch);

        // A rebuild of the claim registry or the timeline is nothing but inserts: sent by binary COPY, not row by row.
        options.Projections.RebuildWithBulkCopy = true;

        options.Schema.For<ClaimRecord>()
            .Index(x => x.EventId);
        options.Schema.For<TimelineEntry>()
            .Index(x => x.NegotiationId);
        options.Schema.For<Source>().Index(x => x.SourceId);

        return options;
    }

    /// <summary>
    /// The async daemon of a server, which may run beside other servers on the same database: HotCold, so each
    /// projection and subscription runs on exactly one node (the one holding its advisory lock, whose lock ids mix in
    /// the schema, so ledgers in different schemas do not contend). The other nodes try for the locks every
    /// second, so after a leader dies (its locks go with its connections) another node takes over within seconds.
    /// </summary>
    public static StoreOptions UseHotColdDaemon(this StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Projections.AsyncMode = DaemonMode.HotCold;
        options.Projections.LeadershipPollingTime = 1_000;
        return options;
    }

    /// <summary>
    /// Lets Npgsql prepare the statements a connection sends again and again, unless the connection string says
    /// otherwise. Appends repeat a handful of statements (a claim registry row per claim: a thousand of the same
    /// insert in one import commit), and PostgreSQL then parses and plans each once per connection instead of
    /// every time: in the import bench it spent about a quarter less CPU. Marten names the columns it reads, so a
    /// later added column or index does not invalidate a prepared statement's result.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare"))
        {
            return connectionString;
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.MaxAutoPrepare = 50;
        builder.AutoPrepareMinUsages = 2;
        return builder.ConnectionString;
    }
}
