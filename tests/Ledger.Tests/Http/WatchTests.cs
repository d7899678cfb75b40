using System.Collections.Concurrent;
using System.Net;
using Ledger.Subscriptions;

namespace Ledger.Tests.Http;

public sealed class WatchTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Watch_replays_after_a_position_then_follows_live_in_order()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var first = await AppendAsync(alice, Sample.Proposal());
        var second = await AppendAsync(alice, Sample.Exchange());

        var everything = new ConcurrentQueue<DevelopmentRecorded>();
        var afterFirst = new ConcurrentQueue<DevelopmentRecorded>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var watches = new[]
        {
            Task.Run(() => DevelopmentWatch(0, everything, stop.Token), Ct),
            Task.Run(() => DevelopmentWatch(first, afterFirst, stop.Token), Ct),
        };

        await WaitForAsync(() => everything.Count >= 2 && !afterFirst.IsEmpty);
        var third = await AppendAsync(alice, Sample.Position("north", "a truce must come first", "2025-03-03", "wire-0303"));
        await WaitForAsync(() => everything.Count >= 3 && afterFirst.Count >= 2);
        await stop.CancelAsync();
        await Task.WhenAll(watches);

        Assert.Equal([first, second, third], everything.Select(d => d.Sequence));
        Assert.Equal([second, third], afterFirst.Select(d => d.Sequence));
        Assert.Equal("alice", everything.First().RecordedBy);
    }

    private async Task DevelopmentWatch(long from, ConcurrentQueue<DevelopmentRecorded> into, CancellationToken ct)
    {
        try
        {
            await WatchCommand.WatchAsync(server.ConnectionString, server.Schema, from, LedgerServerFixture.Negotiation, null, into.Enqueue, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 150 && !condition(); i++)
        {
            await Task.Delay(100, Ct);
        }

        Assert.True(condition(), "timed out");
    }

    private static async Task<long> AppendAsync(HttpClient client, object body)
    {
        var result = await (await client.PostAsync("/api/developments", Sample.Json(body), Ct)).JsonAsync(HttpStatusCode.Created);
        return result.GetProperty("claims")[0].GetProperty("sequence").GetInt64();
    }
}
