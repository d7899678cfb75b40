using System.Net;
using System.Text.Json;
using Ledger.Subscriptions;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Tests.Http;

public sealed class StreamTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Catch_up_then_live_then_resume_with_Last_Event_ID_gets_exactly_the_missed_developments()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var first = await AppendAsync(alice, Sample.Position("north", "a truce must come first", "2025-03-03", "wire-0303", key: "resume-1"));

        // Catch-up: what was recorded before the client connected.
        var stream = await SseClient.ConnectAsync(server.BaseAddress, $"/api/stream?negotiation=harbour-talks&from={first - 1}");
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        var replayed = await stream.NextAsync(Wait);
        Assert.NotNull(replayed);
        Assert.Equal("development", replayed.Event);
        Assert.Equal(first.ToString(System.Globalization.CultureInfo.InvariantCulture), replayed.Id);
        var data = JsonDocument.Parse(replayed.Data).RootElement;
        Assert.Equal("resume-1", data.GetProperty("developmentKey").GetString());
        Assert.Equal("alice", data.GetProperty("recordedBy").GetString());
        Assert.Equal("position-stated", data.GetProperty("development").GetProperty("$type").GetString());

        // Live.
        var second = await AppendAsync(alice, Sample.Position("south", "South said the ceasefire was not on the table", "2025-03-10", "daily-0310", key: "resume-2"));
        var live = await stream.NextAsync(Wait);
        Assert.Equal(second.ToString(System.Globalization.CultureInfo.InvariantCulture), live?.Id);

        // Dropped connection; two developments are recorded meanwhile.
        await stream.DisposeAsync();
        var missed = new[]
        {
            await AppendAsync(alice, Sample.Proposal(key: "resume-3")),
            await AppendAsync(alice, Sample.Exchange(key: "resume-4")),
        };

        await using var resumed = await SseClient.ConnectAsync(server.BaseAddress, "/api/stream?negotiation=harbour-talks&from=0", lastEventId: live!.Id);
        var got = await resumed.TakeAsync(2, Wait);
        Assert.Equal(missed.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)), got.Select(m => m.Id));
        Assert.Null(await resumed.NextAsync(TimeSpan.FromSeconds(2)));
        Assert.True(resumed.Heartbeats > 0, "an idle stream sends heartbeats");

        // And every development was published as a Wolverine message to the in-process handler.
        var log = server.App.Services.GetRequiredService<RecordedMessageLog>();
        for (var i = 0; i < 100 && log.LastSequence < missed[^1]; i++)
        {
            await Task.Delay(100, Ct);
        }

        Assert.True(log.LastSequence >= missed[^1], $"the handler saw up to #{log.LastSequence}");
    }

    [Fact]
    public async Task A_track_filter_sends_only_that_track_and_a_bad_position_is_a_problem()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        await using var stream = await SseClient.ConnectAsync(server.BaseAddress, "/api/stream?negotiation=harbour-talks&track=prisoners&from=0");
        var proposal = await AppendAsync(alice, Sample.Proposal(key: "exchange-filtered", quote: "North proposed to exchange 100 prisoners"));
        await AppendAsync(alice, Sample.Position("north", "North said a truce must come first", "2025-03-04", "wire-0303", key: "filtered-2"));

        var messages = new List<SseMessage>();
        while (await stream.NextAsync(TimeSpan.FromSeconds(3)) is { } message)
        {
            messages.Add(message);
        }

        Assert.Contains(messages, m => m.Id == proposal.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(messages, m => Assert.Equal("prisoners", JsonDocument.Parse(m.Data).RootElement.GetProperty("trackId").GetString()));
        var ids = messages.Select(m => long.Parse(m.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Distinct().Count(), ids.Count);

        using var client = server.Client();
        await (await client.GetAsync("/api/stream?from=soon", Ct)).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Connecting_while_writers_append_loses_nothing_and_doubles_nothing()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        using var bob = server.Client(LedgerServerFixture.BobKey);
        var writers = Enumerable.Range(0, 24).Select(async i =>
        {
            await Task.Delay(i * 15, Ct);
            var body = Sample.Position(i % 2 == 0 ? "north" : "south", "a truce must come first", "2025-03-03", "wire-0303");
            var development = ((Dictionary<string, object?>[])body["developments"]!)[0];
            development["key"] = $"race-{i}";
            return await AppendAsync(i % 2 == 0 ? alice : bob, body);
        }).ToList();

        await Task.Delay(120, Ct);
        await using var stream = await SseClient.ConnectAsync(server.BaseAddress, "/api/stream?negotiation=harbour-talks&track=ceasefire&from=0");
        var appended = await Task.WhenAll(writers);

        await using var session = server.Store.QuerySession();
        var recorded = (await session.Events.QueryAllRawEvents().Where(e => e.StreamKey == "track/harbour-talks/ceasefire").ToListAsync(Ct))
            .Where(e => e.Data is Ledger.Domain.Developments.Development)
            .Select(e => e.Sequence).Order().ToList();
        var received = (await stream.TakeAsync(recorded.Count, Wait)).Select(m => long.Parse(m.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Null(await stream.NextAsync(TimeSpan.FromSeconds(1.5)));

        Assert.Subset(recorded.ToHashSet(), appended.ToHashSet());
        Assert.Equal(recorded, received);
    }

    /// <summary>Appends and returns the global sequence of the (single) event appended.</summary>
    private static async Task<long> AppendAsync(HttpClient client, object body)
    {
        var result = await (await client.PostAsync("/api/developments", Sample.Json(body), Ct)).JsonAsync(HttpStatusCode.Created);
        return result.GetProperty("claims")[0].GetProperty("sequence").GetInt64();
    }
}
