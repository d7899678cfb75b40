using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Ledger.Tests.Infrastructure;
using Ledger.Tracks;
using Marten;

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

    [Fact]
    public async Task A_rebuild_writes_the_same_documents_the_appends_wrote_inline()
    {
        var ct = TestContext.Current.CancellationToken;
        async Task<(string Claims, string Sources, string Negotiations, IReadOnlyList<Guid> Timeline)> DocumentsAsync()
        {
            await using var session = ledger.Store.QuerySession();
            var claims = (await session.Query<Ledger.Audit.ClaimRecord>().ToListAsync(ct)).OrderBy(c => c.Id);
            var sources = (await session.Query<Ledger.Sources.Source>().ToListAsync(ct)).OrderBy(s => s.Id, StringComparer.Ordinal);
            var negotiations = (await session.Query<Ledger.Negotiations.NegotiationRegistration>().ToListAsync(ct)).OrderBy(n => n.Id, StringComparer.Ordinal);
            var timeline = (await session.Query<Ledger.Timeline.TimelineEntry>().ToListAsync(ct)).Select(t => t.Id).Order().ToList();
            return (Json.Serialize(claims), Json.Serialize(sources), Json.Serialize(negotiations), timeline);
        }

        var inline = await DocumentsAsync();
        Assert.NotEqual("[]", inline.Claims);

        await RebuildCommand.RunAsync(ledger.Store, null, ct);
        var rebuilt = await DocumentsAsync();

        Assert.Equal(inline.Claims, rebuilt.Claims);
        Assert.Equal(inline.Sources, rebuilt.Sources);
        Assert.Equal(inline.Negotiations, rebuilt.Negotiations);
        // The timeline is asynchronous: a rebuild writes one entry per claim, whatever the daemon had reached.
        await using var session = ledger.Store.QuerySession();
        Assert.Equal((await session.Query<Ledger.Audit.ClaimRecord>().ToListAsync(ct)).Select(c => c.Id).Order(), rebuilt.Timeline);

        // One after another, as before, gives the same documents.
        await RebuildCommand.RunAsync(ledger.Store, null, ct, oneAfterAnother: true);
        var serial = await DocumentsAsync();
        Assert.Equal(rebuilt.Claims, serial.Claims);
        Assert.Equal(rebuilt.Sources, serial.Sources);
        Assert.Equal(rebuilt.Negotiations, serial.Negotiations);
        Assert.Equal(rebuilt.Timeline, serial.Timeline);
    }
}
