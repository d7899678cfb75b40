using System.Text.Json;
using Ledger.Audit;
using Ledger.Bench.Baselines;
using Ledger.Bench.Corpus;
using Ledger.Domain.Developments;
using Ledger.Domain.Tracks;
using Ledger.Import;
using Ledger.Infrastructure;
using Ledger.Tests.Infrastructure;
using Ledger.Timeline;
using Ledger.Tracks;
using Marten;

namespace Ledger.Tests.Bench;

/// <summary>A small generated corpus imported through the full path, with the bench's raw tables beside it.</summary>
public sealed class BenchLedger(PostgresFixture postgres) : IAsyncLifetime
{
    public const int Size = 300;
    public const int Seed = 7;

    public CorpusGenerator Generator { get; } = new(Size, Seed);

    public BenchDatabase Db { get; private set; } = null!;

    public CorpusFiles Files { get; private set; } = null!;

    public ImportReport Import { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var schema = postgres.NewSchemaName("bench");
        Db = new BenchDatabase(postgres.ConnectionString, schema, schema + "_raw");
        await Db.ResetAsync(CancellationToken.None);
        var root = Path.Combine(Path.GetTempPath(), "ledger-bench-test-" + Guid.NewGuid().ToString("N")[..8]);
        Files = CorpusWriter.Write(Generator, root);
        Import = await new Importer(Db.Store, "test").ImportAsync(Files.Seeds, Files.Events, Files.Root);
        await Db.FillTrackClaimsAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        PostgresFixture.DeleteQuietly(Files.Root);
    }
}

/// <summary>Each benchmark's ledger path and its raw baseline compute the same answers (no timings here).</summary>
public class BenchEquivalenceTests(BenchLedger bench) : IClassFixture<BenchLedger>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public void The_generator_is_deterministic_and_writes_every_kind_with_disputes_and_corrections()
    {
        static List<Development> Claims(CorpusGenerator g) => [.. g.Generate().OfType<ArticleItem>().SelectMany(a => a.Article.Claims).Select(c => c.Development)];
        var generator = new CorpusGenerator(5_000, BenchLedger.Seed);
        var first = Claims(generator);
        var again = Claims(generator);
        var fresh = Claims(new CorpusGenerator(5_000, BenchLedger.Seed));
        var other = Claims(new CorpusGenerator(5_000, BenchLedger.Seed + 1));

        Assert.Equal(first.Select(c => c.Claim.ClaimId), again.Select(c => c.Claim.ClaimId));
        Assert.Equal(first.Select(c => c.Claim.ClaimId), fresh.Select(c => c.Claim.ClaimId));
        Assert.NotEqual(first.Select(c => c.Claim.ClaimId), other.Select(c => c.Claim.ClaimId));
        Assert.InRange(first.Count, 5_000, 5_005);
        Assert.Contains(first, c => c is ReportRetracted);
        Assert.Equal(13, first.Select(c => c.Kind).Distinct().Count());
        Assert.Contains(first, c => c is ReportCorrected);
        Assert.Contains(first, c => c is ProposalMade);
        Assert.Contains(first, c => c is PositionStated);
        Assert.Contains(first, c => c.Claim.Provenance.Published > c.Claim.Provenance.Occurred.Latest.AddDays(20));
        Assert.Contains(first.GroupBy(c => (c.Claim.NegotiationId, c.Claim.DevelopmentKey)), g => g.Select(c => c.Claim.Provenance.SourceId).Distinct().Count() > 1);
    }

    [Fact]
    public async Task B1_the_importer_appends_exactly_the_generated_claims_and_COPY_writes_as_many_rows()
    {
        Assert.True(bench.Import.Succeeded, string.Join("; ", bench.Import.Files.SelectMany(f => f.Errors)));
        var generated = bench.Generator.Generate().OfType<ArticleItem>().SelectMany(a => a.Article.Claims).Select(c => c.Development).ToDictionary(d => d.Claim.ClaimId);
        await using (var session = bench.Db.Store.QuerySession())
        {
            var stored = await session.Query<ClaimRecord>().ToListAsync(_ct);
            Assert.Equal(generated.Count, stored.Count);
            foreach (var record in stored)
            {
                Assert.Equal(Json.Serialize(generated[record.Id]), Json.Serialize(record.Development));
            }
        }

        var copied = await bench.Db.CopyEventsAsync(bench.Generator, _ct);
        var ledgerEvents = await bench.Db.CountAsync($"SELECT count(*) FROM {bench.Db.LedgerSchema}.mt_events", _ct);
        Assert.Equal(ledgerEvents, copied);
        Assert.Equal(ledgerEvents, await bench.Db.CountAsync($"SELECT count(*) FROM {bench.Db.RawSchema}.events", _ct));
        Assert.Equal(
            await bench.Db.CountAsync($"SELECT count(*) FROM {bench.Db.LedgerSchema}.mt_doc_claimrecord", _ct),
            await bench.Db.CountAsync($"SELECT count(*) FROM {bench.Db.RawSchema}.claims", _ct));
        Assert.Equal(
            await bench.Db.CountAsync($"SELECT count(*) FROM {bench.Db.LedgerSchema}.mt_streams", _ct),
            await bench.Db.CountAsync($"SELECT count(*) FROM {bench.Db.RawSchema}.streams", _ct));
    }

    public static TheoryData<int> Draws() => [.. Enumerable.Range(0, 6)];

    [Theory]
    [MemberData(nameof(Draws))]
    public async Task B4_one_track_as_of_and_known_on_answers_as_the_raw_fold_does(int draw)
    {
        var rng = new Random(draw);
        await using var connection = await bench.Db.DataSource.OpenConnectionAsync(_ct);
        foreach (var track in await bench.Db.TrackIdsAsync(CorpusGenerator.MainNegotiation, _ct))
        {
            var (first, last, _) = await bench.Db.TrackSpanAsync(CorpusGenerator.MainNegotiation, track, _ct);
            var asOf = first.AddDays(rng.Next(0, Math.Max(1, last.DayNumber - first.DayNumber) + 1));
            var axes = new TimeAxes(asOf, asOf.AddDays(rng.Next(0, 30)));
            await using var session = bench.Db.Store.QuerySession();
            var ledger = (await TrackQueries.StatusAsync(session, CorpusGenerator.MainNegotiation, track, axes, null, _ct)).Tracks.Single().Status;
            var raw = await bench.Db.RawTrackStatusAsync(connection, CorpusGenerator.MainNegotiation, track, axes, _ct);

            AssertSameAnswer(raw, ledger);
        }
    }

    /// <summary>
    /// A status read through a window answers like the whole fold: the same JSON when nothing was left out, else the
    /// same phase, last change, claim count, positions and totals, and lists that are part of the whole fold's.
    /// </summary>
    private static void AssertSameAnswer(TrackStatus whole, TrackStatus bounded)
    {
        if (bounded.Window is null)
        {
            Assert.Equal(Json.Serialize(whole), Json.Serialize(bounded));
            return;
        }

        Assert.Equal(Json.Serialize(whole.Phase), Json.Serialize(bounded.Phase));
        Assert.Equal(Json.Serialize(whole.LastChange), Json.Serialize(bounded.LastChange));
        Assert.Equal(whole.ClaimCount, bounded.ClaimCount);
        Assert.Equal(
            whole.Positions.Select(p => (p.Party, p.Topic, p.Position, p.DevelopmentKey, p.Restated, Json.Serialize(p.Evidence))),
            bounded.Positions.Select(p => (p.Party, p.Topic, p.Position, p.DevelopmentKey, p.Restated, Json.Serialize(p.Evidence))));
        Assert.Equal(
            whole.Totals.Select(t => (t.Category, t.ToParty, t.Min, t.Max, t.Approximate, t.LowerBound)),
            bounded.Totals.Select(t => (t.Category, t.ToParty, t.Min, t.Max, t.Approximate, t.LowerBound)));
        foreach (var (total, wholeTotal) in bounded.Totals.Zip(whole.Totals))
        {
            Assert.NotEmpty(total.Evidence);
            Assert.Subset(wholeTotal.Evidence.ToHashSet(), total.Evidence.ToHashSet());
        }

        // The lists hold developments among the latest reports, exactly as the whole fold shows them.
        Assert.Subset(whole.Proposals.Select(p => Json.Serialize(p)).ToHashSet(), bounded.Proposals.Select(p => Json.Serialize(p)).ToHashSet());
        Assert.Subset(whole.Agreements.Select(p => Json.Serialize(p)).ToHashSet(), bounded.Agreements.Select(p => Json.Serialize(p)).ToHashSet());
        Assert.Subset(whole.Exchanges.Select(p => Json.Serialize(p)).ToHashSet(), bounded.Exchanges.Select(p => Json.Serialize(p)).ToHashSet());
        Assert.Subset(whole.Other.Select(p => Json.Serialize(p)).ToHashSet(), bounded.Other.Select(p => Json.Serialize(p)).ToHashSet());
        Assert.Subset(whole.Disputes.Select(p => Json.Serialize(p)).ToHashSet(), bounded.Disputes.Select(p => Json.Serialize(p)).ToHashSet());
        Assert.InRange(bounded.Window.Developments, 1, bounded.Window.Reports);
        // Where the lists start, as its source dates it: the last day that date allows is the window's own start.
        Assert.True(Ledger.Domain.Provenance.FuzzyDate.TryParse(bounded.Window.FromAsReported, out var from), bounded.Window.FromAsReported);
        Assert.Equal(bounded.Window.From, from!.Latest);
    }

    private static readonly int[] WindowSizes = [3, 5, 8];

    public static TheoryData<int, int> Windows() => [.. from window in WindowSizes from draw in Enumerable.Range(0, 4) select (window, draw)];

    [Theory]
    [MemberData(nameof(Windows))]
    public async Task A_long_track_read_through_a_window_keeps_the_whole_tracks_headline_and_lists_its_latest_developments(int window, int draw)
    {
        var rng = new Random(draw);
        var windowed = 0;
        foreach (var track in await bench.Db.TrackIdsAsync(CorpusGenerator.MainNegotiation, _ct))
        {
            var (first, last, _) = await bench.Db.TrackSpanAsync(CorpusGenerator.MainNegotiation, track, _ct);
            var asOf = first.AddDays(rng.Next(0, Math.Max(1, last.DayNumber - first.DayNumber) + 1));
            var axes = new TimeAxes(asOf, asOf.AddDays(rng.Next(0, 30)));
            await using var session = bench.Db.Store.QuerySession();
            var whole = (await TrackQueries.StatusAsync(session, CorpusGenerator.MainNegotiation, track, axes, null, int.MaxValue - 1, _ct)).Tracks.Single().Status;
            var bounded = (await TrackQueries.StatusAsync(session, CorpusGenerator.MainNegotiation, track, axes, null, window, _ct)).Tracks.Single().Status;

            Assert.Null(whole.Window);
            if (bounded.Window is null)
            {
                Assert.Equal(Json.Serialize(whole), Json.Serialize(bounded));
                continue;
            }

            windowed++;
            Assert.Equal(window, bounded.Window.Reports);
            AssertSameAnswer(whole, bounded);
            Assert.InRange(bounded.Window.Developments, 1, window);
        }

        Assert.True(windowed > 0, "no track was long enough to be read through the window");
    }

    [Fact]
    public async Task B5_every_track_of_a_negotiation_answers_as_the_raw_folds_do()
    {
        var tracks = await bench.Db.TrackIdsAsync(CorpusGenerator.MainNegotiation, _ct);
        var (first, last, _) = await bench.Db.TrackSpanAsync(CorpusGenerator.MainNegotiation, null, _ct);
        await using var connection = await bench.Db.DataSource.OpenConnectionAsync(_ct);
        foreach (var asOf in new[] { first, first.AddDays((last.DayNumber - first.DayNumber) / 2), last })
        {
            var axes = new TimeAxes(asOf);
            await using var session = bench.Db.Store.QuerySession();
            var ledger = (await TrackQueries.StatusAsync(session, CorpusGenerator.MainNegotiation, null, axes, null, _ct)).Tracks
                .Where(t => tracks.Contains(t.Track.Id)).ToDictionary(t => t.Track.Id, t => t.Status);
            Assert.Equal(tracks.Order(), ledger.Keys.Order());
            foreach (var track in tracks)
            {
                AssertSameAnswer(await bench.Db.RawTrackStatusAsync(connection, CorpusGenerator.MainNegotiation, track, axes, _ct), ledger[track]);
            }
        }
    }

    [Fact]
    public async Task B6_the_rebuild_and_the_raw_replay_write_the_same_rows()
    {
        var timings = await RebuildCommand.RunAsync(bench.Db.Store, null, _ct);
        Assert.Equal(RebuildCommand.Rebuilt.Length, timings.Count);

        var replayed = await bench.Db.RawReplayAsync(_ct);
        var claims = await bench.Db.CountAsync($"SELECT count(*) FROM {bench.Db.LedgerSchema}.mt_doc_claimrecord", _ct);
        Assert.Equal(claims, replayed);
        Assert.Equal(claims, await bench.Db.CountAsync($"SELECT count(*) FROM {bench.Db.RawSchema}.claims_out", _ct));
        foreach (var (ledger, raw) in new[] { ("mt_doc_timelineentry", "timeline_out"), ("mt_doc_source", "sources_out"), ("mt_doc_negotiationregistration", "negotiations_out") })
        {
            Assert.True(await bench.Db.CountAsync($"SELECT count(*) FROM {bench.Db.LedgerSchema}.{ledger}", _ct) > 0, ledger);
            Assert.Equal(
                0,
                await bench.Db.CountAsync(
                    $"SELECT count(*) FROM {bench.Db.LedgerSchema}.{ledger} l FULL JOIN {bench.Db.RawSchema}.{raw} r ON l.id = r.id WHERE l.data IS DISTINCT FROM r.data",
                    _ct));
        }
    }
}
