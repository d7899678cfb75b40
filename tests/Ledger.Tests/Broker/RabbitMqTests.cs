using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Ledger.Subscriptions;
using Ledger.Tests.Http;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Wolverine.Runtime;

namespace Ledger.Tests.Broker;

/// <summary>The server with a private RabbitMQ node configured as its broker (none, and the tests skip, where rabbitmq-server is absent).</summary>
public sealed class BrokerServerFixture(PostgresFixture postgres) : LedgerServerFixture(postgres), IAsyncDisposable
{
    public RabbitMqBroker? Broker { get; private set; }

    /// <summary>Why the tests cannot run here; null when they can. A CI run must have the broker (.ci/run installs it).</summary>
    public string? SkipReason { get; } = RabbitMqBroker.SkipReason();

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings =>
        Broker is null ? [] : [new(BrokerSettings.UriKey, Broker.AmqpUri.ToString())];

    public override async ValueTask InitializeAsync()
    {
        if (SkipReason is null)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            limit.CancelAfter(RabbitMqBroker.StartTimeout);
            Broker = await RabbitMqBroker.StartAsync(limit.Token);
        }

        await base.InitializeAsync();
    }

    public new async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            if (Broker is not null)
            {
                await Broker.DisposeAsync();
            }
        }
    }
}

public sealed class RabbitMqTests(BrokerServerFixture server) : IClassFixture<BrokerServerFixture>
{
    private const string Exchange = BrokerSettings.DefaultExchangePrefix + LedgerServerFixture.Negotiation;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_development_reaches_the_queues_bound_to_its_negotiation_and_track_once()
    {
        var broker = RequireBroker();
        using var alice = server.Client(LedgerServerFixture.AliceKey);

        // The first development makes Wolverine declare the negotiation's exchange; nobody is bound yet, so it goes nowhere.
        var first = await AppendAsync(alice, Sample.Proposal(key: "broker-first"));
        await using var connection = await ConnectAsync(broker);
        await WaitForExchangeAsync(connection);
        await WaitUntilSentAsync(first);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Ct);
        // Declaring it again as a durable topic exchange is refused unless that is what it already is.
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: Ct);
        var prisoners = await BindNewQueueAsync(channel, "prisoners");
        var ceasefire = await BindNewQueueAsync(channel, "ceasefire");
        var everything = await BindNewQueueAsync(channel, "#");

        var exchange = await AppendAsync(alice, Sample.Exchange(key: "broker-exchange"));
        var north = await AppendAsync(alice, Sample.Position("north", "a truce must come first", "2025-03-03", "wire-0303", key: "broker-north"));
        var proposal = await AppendAsync(alice, Sample.Proposal(key: "broker-second"));

        var onPrisoners = await ReceiveAsync(channel, prisoners, expected: 2);
        var onCeasefire = await ReceiveAsync(channel, ceasefire, expected: 1);
        var onEverything = await ReceiveAsync(channel, everything, expected: 3);

        // Messages are sent by one sender per track and batch; receivers order them by sequence, and so does the test.
        Assert.Equal([exchange, proposal], onPrisoners.Select(m => m.Sequence).Order());
        Assert.Equal([north], onCeasefire.Select(m => m.Sequence));
        Assert.Equal([exchange, north, proposal], onEverything.Select(m => m.Sequence).Order());
        Assert.All(onPrisoners, m => Assert.Equal("prisoners", m.RoutingKey));
        var message = onCeasefire[0];
        Assert.Equal("ceasefire", message.RoutingKey);
        Assert.Equal(Exchange, message.Exchange);
        Assert.Equal("application/json", message.ContentType);
        // The body is the development as webhooks and /api/stream carry it.
        Assert.Equal(LedgerServerFixture.Negotiation, message.Body.GetProperty("negotiationId").GetString());
        Assert.Equal("ceasefire", message.Body.GetProperty("trackId").GetString());
        Assert.Equal("broker-north", message.Body.GetProperty("developmentKey").GetString());
        Assert.Equal("position-stated", message.Body.GetProperty("kind").GetString());
        Assert.Equal("alice", message.Body.GetProperty("recordedBy").GetString());

        // The in-process subscriber (webhooks) still gets every development, from the same local queue as without a broker.
        await WaitUntilSentAsync(proposal);
        var routes = server.App.Services.GetRequiredService<IWolverineRuntime>().RoutingFor(typeof(DevelopmentRecorded)).Routes.Select(r => r.Describe().Endpoint.ToString());
        Assert.Contains("local://ledger.subscriptions.developmentrecorded/", routes);
    }

    [Fact]
    public async Task Developments_recorded_while_the_broker_is_down_wait_in_the_outbox_and_arrive_once_it_is_back()
    {
        var broker = RequireBroker();
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var queue = $"ledger-test-outage-{Guid.NewGuid():N}";
        await using (var setup = await ConnectAsync(broker))
        await using (var channel = await setup.CreateChannelAsync(cancellationToken: Ct))
        {
            await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: Ct);
            // Durable, so that the queue and its binding outlive the outage, as a real subscriber's would.
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: Ct);
            await channel.QueueBindAsync(queue, Exchange, "ceasefire", cancellationToken: Ct);
        }

        await broker.StopAppAsync(Ct);
        long[] appended;
        try
        {
            appended =
            [
                await AppendAsync(alice, Sample.Position("north", "a truce must come first", "2025-03-05", "wire-0303", key: "outage-1")),
                await AppendAsync(alice, Sample.Position("south", "South said the ceasefire was not on the table", "2025-03-10", "daily-0310", key: "outage-2")),
                await AppendAsync(alice, Sample.Position("north", "North said a truce must come first", "2025-03-06", "wire-0303", key: "outage-3")),
            ];

            // The feed has handed them to Wolverine, which keeps them in its outbox table while it cannot send.
            var clock = Stopwatch.StartNew();
            while (await PendingForBrokerAsync() < appended.Length)
            {
                Assert.True(clock.Elapsed < Wait, $"the developments did not reach the outbox within {Wait.TotalSeconds:0} s");
                await Task.Delay(100, Ct);
            }

            await Task.Delay(TimeSpan.FromSeconds(2), Ct); // Let sending fail a few times.
        }
        finally
        {
            await broker.StartAppAsync(Ct);
        }

        await using var connection = await ConnectAsync(broker);
        await using var consumer = await connection.CreateChannelAsync(cancellationToken: Ct);
        var received = await ReceiveAsync(consumer, queue, expected: appended.Length, timeout: TimeSpan.FromSeconds(60));
        // Each once; the order is the sequence's, not the arrival's, once messages have waited in the outbox.
        Assert.Equal(appended, received.Select(m => m.Sequence).Order());
        Assert.Equal(0, await PendingForBrokerAsync());
        await consumer.QueueDeleteAsync(queue, cancellationToken: Ct);
    }

    [Fact]
    public void Without_an_address_nothing_is_published_and_a_bad_one_is_refused_by_name()
    {
        Assert.Null(BrokerSettings.From(Settings(null)));
        Assert.Null(BrokerSettings.From(Settings(" ")));

        var settings = BrokerSettings.From(Settings("amqp://guest:guest@127.0.0.1:5672"))!;
        Assert.Equal(new Uri("rabbitmq://topic/ledger.harbour-talks/prisoners"), settings.EndpointFor("harbour-talks", "prisoners"));

        var refused = Assert.Throws<InvalidOperationException>(() => BrokerSettings.From(Settings("http://user:secret@127.0.0.1:5672")));
        Assert.Contains(BrokerSettings.UriKey, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", refused.Message, StringComparison.Ordinal);

        static IConfiguration Settings(string? uri) =>
            new ConfigurationBuilder().AddInMemoryCollection([new(BrokerSettings.UriKey, uri)]).Build();
    }

    private RabbitMqBroker RequireBroker()
    {
        if (server.SkipReason is { } reason)
        {
            // CI installs rabbitmq-server (.ci/run): there, a missing broker is a failure, not a skip.
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), reason);
            Assert.Skip(reason);
        }

        return server.Broker!;
    }

    private static async Task<long> AppendAsync(HttpClient client, object body)
    {
        var result = await (await client.PostAsync("/api/developments", Sample.Json(body), Ct)).JsonAsync(HttpStatusCode.Created);
        return result.GetProperty("claims")[0].GetProperty("sequence").GetInt64();
    }

    private static Task<IConnection> ConnectAsync(RabbitMqBroker broker) =>
        new ConnectionFactory { Uri = broker.AmqpUri }.CreateConnectionAsync(Ct);

    private static async Task WaitForExchangeAsync(IConnection connection)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            // A passive declaration of a missing exchange closes the channel, so each try has its own.
            await using var probe = await connection.CreateChannelAsync(cancellationToken: Ct);
            try
            {
                await probe.ExchangeDeclarePassiveAsync(Exchange, Ct);
                return;
            }
            catch (OperationInterruptedException) when (clock.Elapsed < Wait)
            {
                await Task.Delay(100, Ct);
            }
        }
    }

    private static async Task<string> BindNewQueueAsync(IChannel channel, string bindingKey)
    {
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, cancellationToken: Ct)).QueueName;
        await channel.QueueBindAsync(queue, Exchange, bindingKey, cancellationToken: Ct);
        return queue;
    }

    /// <summary>Takes messages off the queue until <paramref name="expected"/> have come, then waits a little longer to catch any extra (a duplicate or a misrouted one).</summary>
    private static async Task<List<Received>> ReceiveAsync(IChannel channel, string queue, int expected, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Wait;
        var received = new List<Received>();
        var clock = Stopwatch.StartNew();
        var quietSince = (TimeSpan?)null;
        while (true)
        {
            var got = await channel.BasicGetAsync(queue, autoAck: true, Ct);
            if (got is not null)
            {
                received.Add(new Received(
                    got.Exchange,
                    got.RoutingKey,
                    got.BasicProperties.ContentType,
                    JsonDocument.Parse(Encoding.UTF8.GetString(got.Body.Span)).RootElement.Clone()));
                continue;
            }

            if (received.Count >= expected)
            {
                quietSince ??= clock.Elapsed;
                if (clock.Elapsed - quietSince > TimeSpan.FromSeconds(1))
                {
                    return received;
                }
            }
            else
            {
                Assert.True(clock.Elapsed < limit, $"{received.Count} of {expected} messages reached {queue} within {limit.TotalSeconds:0} s");
            }

            await Task.Delay(50, Ct);
        }
    }

    /// <summary>Waits until the development has been published (the in-process handler saw it) and its envelope for the broker sent.</summary>
    private async Task WaitUntilSentAsync(long sequence)
    {
        var log = server.App.Services.GetRequiredService<RecordedMessageLog>();
        var clock = Stopwatch.StartNew();
        while (log.LastSequence < sequence || await PendingForBrokerAsync() > 0)
        {
            Assert.True(clock.Elapsed < Wait, $"development #{sequence} was not sent to the broker within {Wait.TotalSeconds:0} s (handler saw #{log.LastSequence}, {await PendingForBrokerAsync()} pending)");
            await Task.Delay(50, Ct);
        }
    }

    /// <summary>Envelopes for the broker that Wolverine has stored and not yet sent.</summary>
    private async Task<long> PendingForBrokerAsync()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"select count(*) from \"{server.Schema}\".wolverine_outgoing_envelopes where destination like 'rabbitmq://%'", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private sealed record Received(string Exchange, string RoutingKey, string? ContentType, JsonElement Body)
    {
        public long Sequence => Body.GetProperty("sequence").GetInt64();
    }
}
