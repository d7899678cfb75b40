using Ledger.Infrastructure;
using Wolverine;

namespace Ledger.Subscriptions;

/// <summary>Everything the server needs to deliver webhooks, in one place.</summary>
public static class WebhookSetup
{
    /// <summary>
    /// Settings, targets, the HTTP client (no redirects, no proxy, every connection checked against the allowed
    /// targets, a configurable timeout), the protection of secrets and the durable queue <c>webhooks</c> with its
    /// own slots, so that deliveries never wait behind other messages.
    /// </summary>
    public static WebApplicationBuilder AddLedgerWebhooks(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = WebhookSettings.From(builder.Configuration);
        var targets = WebhookTargets.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(targets);
        builder.Services.AddSingleton<WebhookGates>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddLedgerDataProtection();
        builder.Services.AddHttpClient(WebhookSettings.HttpClientName, client => client.Timeout = settings.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                ConnectCallback = targets.ConnectAsync,
                ConnectTimeout = settings.Timeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });

        builder.Services.ConfigureWolverine(wolverine =>
        {
            // Messages read back from the database (retries, recovery after an outage or a crash) carry a development,
            // whose concrete kind is named in "$type" as in the event store.
            wolverine.UseSystemTextJsonForSerialization(json =>
            {
                json.AllowOutOfOrderMetadataProperties = true;
                json.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver { Modifiers = { Ledger.Domain.Developments.DevelopmentKinds.DeclarePolymorphism } };
            });
            wolverine.PublishMessage<DeliverWebhook>().ToLocalQueue(WebhookSettings.QueueName);
            wolverine.LocalQueue(WebhookSettings.QueueName).UseDurableInbox().MaximumParallelMessages(settings.MaxParallelDeliveries);
            if (settings.PollingInterval is { } polling)
            {
                // Retries and resends are scheduled messages, taken up at this interval.
                wolverine.Durability.ScheduledJobPollingTime = polling;
                wolverine.Durability.ScheduledJobFirstExecution = polling;
            }
        });

        return builder;
    }
}
