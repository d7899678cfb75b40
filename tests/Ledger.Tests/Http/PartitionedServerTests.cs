using System.Net;
using Ledger.Tests.Infrastructure;
using Npgsql;

namespace Ledger.Tests.Http;

/// <summary>The test server with its negotiation moved to a second PostgreSQL server.</summary>
public sealed class PartitionedLedgerServerFixture(PostgresFixture postgres) : LedgerServerFixture(postgres)
{
    public ThrowawayCluster East { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings =>
    [
        new("Ledger:Databases:east:Connection", East.ConnectionString),
        new("Ledger:Databases:east:Negotiations", Negotiation),
        new("Ledger:Webhooks:AllowPrivateTargets", "true"),
        new("Ledger:Webhooks:RetryDelaysMs", "200,500"),
    ];

    public override async ValueTask InitializeAsync()
    {
        East = await ThrowawayCluster.StartAsync("east-http", TestContext.Current.CancellationToken);
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await East.DisposeAsync();
    }
}

public sealed class PartitionedServerTests(PartitionedLedgerServerFixture server) : IClassFixture<PartitionedLedgerServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> EventsOnAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"select count(*) from {server.Schema}.mt_events where stream_id like '%harbour-talks%'", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    [Fact]
    public async Task A_negotiation_on_another_database_is_written_read_audited_and_projected_there()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var appended = await (await alice.PostAsync("/api/developments", Sample.Json(Sample.Position("north", "a truce must come first", "2025-03-03", "wire-0303")), Ct))
            .JsonAsync(HttpStatusCode.Created);
        var claimId = appended.GetProperty("claims")[0].GetProperty("claimId").GetString();

        // Stored on the second server, none of it on the main one.
        Assert.True(await EventsOnAsync(server.East.ConnectionString) > 0);
        await using (var main = new NpgsqlConnection(server.ConnectionString))
        {
            await main.OpenAsync(Ct);
            await using var command = new NpgsqlCommand($"select count(*) from {server.Schema}.mt_events where stream_id like '%harbour-talks%'", main);
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync(Ct))!);
        }

        var negotiations = await (await alice.GetAsync("/api/negotiations", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(negotiations.EnumerateArray(), n => n.GetProperty("id").GetString() == LedgerServerFixture.Negotiation);

        var audit = await (await alice.GetAsync($"/api/events/{claimId}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("a truce must come first", audit.GetProperty("quote").GetProperty("exact").GetString());

        var status = await (await alice.GetAsync($"/api/negotiations/{LedgerServerFixture.Negotiation}/status", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Contains("a truce must come first", status.GetRawText(), StringComparison.Ordinal);

        // The daemon projects the second database too: the timeline shows the development.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var timeline = await (await alice.GetAsync($"/api/negotiations/{LedgerServerFixture.Negotiation}/timeline", Ct)).JsonAsync(HttpStatusCode.OK);
            if (timeline.GetArrayLength() > 0)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the timeline of the second database never caught up");
            await Task.Delay(200, Ct);
        }

        var sources = await (await alice.GetAsync("/api/sources", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(sources.EnumerateArray(), s => s.GetProperty("id").GetString() == "wire-0303" && s.GetProperty("citations").GetArrayLength() > 0);
    }

    [Fact]
    public async Task A_development_on_another_database_reaches_webhooks_registered_on_the_main_one()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Ct);
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var registered = await alice.PostAsync("/api/webhooks", Sample.Json(new { url = receiver.Url("east"), negotiation = LedgerServerFixture.Negotiation }), Ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var appended = await (await alice.PostAsync("/api/developments", Sample.Json(Sample.Position("south", "South said it would consider the offer", "2025-03-03", "wire-0303", key: "east-hook")), Ct))
            .JsonAsync(HttpStatusCode.Created);
        var sequence = appended.GetProperty("claims")[0].GetProperty("sequence").GetInt64();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!receiver.Of("east").Any(r => r.Sequence == sequence))
        {
            Assert.True(DateTime.UtcNow < deadline, "the development on the second database never reached the webhook");
            await Task.Delay(100, Ct);
        }

        Assert.Single(receiver.Of("east"), r => r.Sequence == sequence);
    }

    [Fact]
    public async Task The_stream_of_a_negotiation_on_another_database_replays_and_goes_live()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        await using var stream = await SseClient.ConnectAsync(server.BaseAddress, $"/api/stream?negotiation={LedgerServerFixture.Negotiation}&from=end");
        var appended = await (await alice.PostAsync("/api/developments", Sample.Json(Sample.Position("north", "Ana Vega told reporters", "2025-03-03", "wire-0303", key: "east-live")), Ct))
            .JsonAsync(HttpStatusCode.Created);
        var sequence = appended.GetProperty("claims")[0].GetProperty("sequence").GetInt64();

        var live = await stream.NextAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), live?.Id);

        await using var replay = await SseClient.ConnectAsync(server.BaseAddress, $"/api/stream?negotiation={LedgerServerFixture.Negotiation}", lastEventId: (sequence - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(live!.Id, (await replay.NextAsync(TimeSpan.FromSeconds(20)))?.Id);
    }

    [Fact]
    public async Task Streams_and_webhooks_name_their_negotiation_on_a_partitioned_ledger()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var stream = await alice.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Contains("negotiation", (await stream.ProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        var hook = await alice.PostAsync("/api/webhooks", Sample.Json(new { url = "http://127.0.0.1:1/x" }), Ct);
        Assert.Contains("negotiation", (await hook.ProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
    }
}
