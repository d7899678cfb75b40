using System.Collections.Concurrent;
using System.Text.Json;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.RabbitMQ;
using Wolverine.Runtime;
using Wolverine.Runtime.Routing;
using Wolverine.Runtime.Serialization;
using Wolverine.Util;
using Wolverine.Transports.Sending;

namespace Ledger.Subscriptions;

/// <summary>
/// Where recorded developments are published beyond the web: a RabbitMQ broker (<c>Ledger:RabbitMq:Uri</c>), a topic
/// exchange per negotiation named <see cref="ExchangePrefix"/> + the negotiation id, with the track id as routing key.
/// </summary>
public sealed record BrokerSettings(Uri Uri, string ExchangePrefix)
{
    public const string UriKey = "Ledger:RabbitMq:Uri";
    public const string ExchangePrefixKey = "Ledger:RabbitMq:ExchangePrefix";
    public const string DefaultExchangePrefix = "ledger.";

    /// <summary>The settings, or null when no broker is configured (then developments stay in-process).</summary>
    public static BrokerSettings? From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[UriKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps") || string.IsNullOrEmpty(uri.Host))
        {
            throw new InvalidOperationException($"{UriKey} must be an amqp:// or amqps:// address such as amqp://user:password@host:5672, not '{Redacted(text)}'.");
        }

        var prefix = configuration[ExchangePrefixKey] ?? DefaultExchangePrefix;
        if (prefix.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':')))
        {
            throw new InvalidOperationException($"{ExchangePrefixKey} may hold only letters, digits, '.', '-', '_' and ':', not '{prefix}'.");
        }

        return new BrokerSettings(uri, prefix);
    }

    public string ExchangeFor(string negotiationId) => ExchangePrefix + negotiationId;

    /// <summary>The Wolverine endpoint of one routing key on one topic exchange; it says everything needed to send there again after a restart.</summary>
    public Uri EndpointFor(string negotiationId, string trackId) =>
        new($"rabbitmq://topic/{Uri.EscapeDataString(ExchangeFor(negotiationId))}/{Uri.EscapeDataString(trackId)}");

    // A password in the address must not reach a log or an error page.
    private static string Redacted(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal)
            ? text.Replace(uri.UserInfo, uri.UserInfo[..uri.UserInfo.IndexOf(':', StringComparison.Ordinal)] + ":***", StringComparison.Ordinal)
            : text;
}

public static class BrokerPublishing
{
    /// <summary>
    /// When a broker is configured, every <see cref="DevelopmentRecorded"/> is also sent to it through Wolverine's
    /// durable outbox: the envelope is stored with the daemon's progress and sent after the commit, and kept and
    /// retried while the broker is unreachable. Without a broker nothing changes.
    /// </summary>
    public static void PublishDevelopmentsToBroker(this WolverineOptions opts, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(opts);
        var settings = BrokerSettings.From(configuration);
        if (settings is null)
        {
            return;
        }

        opts.UseRabbitMq(settings.Uri)
            .AutoProvision()
            // Ledger only publishes; a reply queue per node would be clutter on the subscribers' broker.
            .DisableSystemRequestReplyQueueDeclaration();

        // Applied whenever Wolverine builds one of these endpoints: at the first development of a track, and when
        // the outbox is recovered after a restart from nothing but the stored destination address.
        // A copy: Wolverine adds a converter of its own, and the shared options are read-only once used.
        var serializer = new SystemTextJsonSerializer(new JsonSerializerOptions(DevelopmentRecorded.LineOptions));
        opts.Policies.Add(new LambdaEndpointPolicy<RabbitMqTopicEndpoint>((endpoint, _) =>
        {
            if (endpoint.ExchangeName.StartsWith(settings.ExchangePrefix, StringComparison.Ordinal))
            {
                endpoint.Mode = EndpointMode.Durable;
                // The body is the same JSON line webhooks receive and /api/stream sends.
                endpoint.DefaultSerializer = serializer;
            }
        }));
        opts.PublishWithMessageRoutingSource(new NegotiationExchangeRouting(settings));
    }
}

/// <summary>
/// Routes each development to its negotiation's exchange with its track as routing key, and on to the in-process
/// handler (webhooks) as before.
/// </summary>
internal sealed class NegotiationExchangeRouting(BrokerSettings settings) : IMessageRouteSource, IMessageRoute
{
    private readonly ConcurrentDictionary<Uri, MessageRoute> _routes = new();

    public bool IsAdditive => true;

    public IEnumerable<IMessageRoute> FindRoutes(Type messageType, IWolverineRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        if (messageType != typeof(DevelopmentRecorded))
        {
            return [];
        }

        // Wolverine stops asking its later route sources (local routing among them) once a custom source has
        // answered, so the in-process handler's local queue, under the name local routing gives it, is named here too.
        var local = runtime.Endpoints.AgentForLocalQueue(messageType.ToMessageTypeName().Replace('+', '.'));
        return [this, MessageRoute.For(messageType, local.Endpoint, runtime)];
    }

    public Envelope CreateForSending(object message, DeliveryOptions? options, ISendingAgent localDurableQueue, WolverineRuntime runtime, string? topicName)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        if (message is not DevelopmentRecorded development)
        {
            throw new InvalidOperationException($"Only {nameof(DevelopmentRecorded)} is routed to the negotiation exchanges, not {message?.GetType().Name}.");
        }

        var route = _routes.GetOrAdd(
            settings.EndpointFor(development.NegotiationId, development.TrackId),
            static (uri, r) => new MessageRoute(typeof(DevelopmentRecorded), r.Endpoints.GetOrBuildSendingAgent(uri).Endpoint, r),
            runtime);
        return route.CreateForSending(message, options, localDurableQueue, runtime, development.TrackId);
    }

    public MessageSubscriptionDescriptor Describe() => new()
    {
        Endpoint = new Uri($"rabbitmq://topic/{settings.ExchangePrefix}negotiation/track"),
        Description = $"Each development to the topic exchange {settings.ExchangePrefix}<negotiation>, routing key <track>",
    };
}
