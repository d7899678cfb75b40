using Ledger.Cli;
using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Ledger.Tests.Infrastructure;
using Ledger.Tracks;

namespace Ledger.Tests.Store;

public class RebuildTests(SampleLedger ledger) : IClassFixture<SampleLedger>
{
    [Fact]
    public async Task Rebuilding_the_projections_from_the_events_gives_the_same_answers()
    {
        var ct = TestContext.Current.CancellationToken;
        async Task<string> AnswersAsync()
        {
            await using var session = ledger.Store.QuerySession();
            var now = await TrackQueries.StatusAsync(session, null, null, TimeAxes.Now, null, ct);
            var then = await TrackQueries.StatusAsync(session, null, null, new TimeAxes(new DateOnly(2025, 3, 3), new DateOnly(2025, 3, 3)), null, ct);
            return Json.Serialize(now) + Json.Serialize(then);
        }

        var before = await AnswersAsync();
        await using (var session = ledger.Store.LightweightSession())
        {
            // Damage the read models: a rebuild must restore them from the events alone.
            session.DeleteWhere<Ledger.Audit.ClaimRecord>(_ => true);
            await session.SaveChangesAsync(ct);
        }

        Assert.NotEqual(before, await AnswersAsync());

        var timings = await RebuildCommand.RunAsync(ledger.Store, null, ct);

        Assert.Equal(RebuildCommand.Rebuilt.Length, timings.Count);
        Assert.Equal(before, await AnswersAsync());
    }
}
