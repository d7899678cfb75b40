using System.Diagnostics;
using System.Globalization;
using JasperFx.Events.Daemon;
using Ledger.Audit;
using Ledger.Bench.Baselines;
using Ledger.Bench.Corpus;
using Ledger.Domain.Recording;
using Ledger.Recording;
using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Provenance;
using Ledger.Domain.Tracks;
using Ledger.Import;
using Ledger.Infrastructure;
using Ledger.Timeline;
using Ledger.Tracks;
using Marten;
using Npgsql;
using Spectre.Console;

namespace Ledger.Bench;

public sealed record BenchOptions(int Size, int Seed, int Iterations, IReadOnlySet<string> Only, bool FastLoad, string WorkFolder);

/// <summary>The bench's workloads, each measured against its raw baseline on the same PostgreSQL in the same run.</summary>
public sealed class Workloads(BenchDatabase db, BenchOptions options, CorpusGenerator generator)
{
    private readonly Random _rng = new(options.Seed + 1);
    private readonly List<BenchRow> _rows = [];

    public IReadOnlyList<BenchRow> Rows => _rows;

    private static string F(double v, string unit = "") => double.IsNaN(v) ? "—" : v.ToString(v >= 100 ? "N0" : v >= 10 ? "N1" : "N2", CultureInfo.InvariantCulture) + unit;

    /// <summary>Progress goes to stderr, so that `--format json` leaves stdout to the results.</summary>
    public static readonly IAnsiConsole Progress = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    private static void Say(string text) => Progress.MarkupLine($"[grey]{Markup.Escape(text)}[/]");

    private bool Selected(string id) => options.Only.Count == 0 || options.Only.Contains(id);

    public async Task RunAsync(CancellationToken ct)
    {
        await db.ResetAsync(ct);
        var files = await WriteCorpusAsync(ct);
        if (options.FastLoad)
        {
            _rows.Add(new BenchRow("B1", "import, full path", "not measured: --load fast", "", "", "≥ 0.5× COPY", null, new Dictionary<string, double>()));
            await FastLoadAsync(files, ct);
        }
        else
        {
            await B1Async(files, ct);
        }

        Say("Filling the raw claims table from the ledger's events …");
        await db.FillTrackClaimsAsync(ct);

        // Both sides are read after VACUUM ANALYZE, as a store in service would be: otherwise whichever side runs
        // before autovacuum has visited the freshly loaded tables pays for it (heap fetches, stale statistics).
        Say("VACUUM ANALYZE …");
        await db.ExecuteAsync("VACUUM (ANALYZE)", ct);
        HttpWorkloads? http = null;
        string? httpProblem = null;
        if (Selected("B2") || Selected("B3"))
        {
            (http, httpProblem) = await StartServerAsync(ct);
        }

        Samples? notifyRaw = null;
        try
        {
            if (Selected("B2"))
            {
                await B2Async(http, httpProblem, ct);
                await B2CostAsync(ct);
            }

            if (Selected("B3"))
            {
                notifyRaw = await B3RawAsync(ct);
                await B3SseAsync(http, httpProblem, notifyRaw, ct);
            }
        }
        finally
        {
            // The server runs a daemon of its own: stop it before the bench runs one over the same schema.
            if (http is not null)
            {
                await http.DisposeAsync();
            }
        }

        if (notifyRaw is not null)
        {
            await B3ProjectionAsync(notifyRaw, ct);
        }

        if (Selected("B4"))
        {
            await B4Async(ct);
        }

        if (Selected("B5"))
        {
            await B5Async(ct);
        }

        if (Selected("B6"))
        {
            await B6Async(ct);
        }
    }

    private async Task<CorpusFiles> WriteCorpusAsync(CancellationToken ct)
    {
        var root = Path.Combine(options.WorkFolder, $"corpus-{options.Size}-{options.Seed}");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var watch = Stopwatch.StartNew();
        var files = await Task.Run(() => CorpusWriter.Write(generator, root), ct);
        Say($"Corpus: {files.Claims:N0} claims in {files.EventFiles:N0} event files, {files.Sources:N0} sources, {files.Negotiations} negotiations, {files.Bytes / 1e6:N1} MB, written in {watch.Elapsed.TotalSeconds:N1} s to {root}");
        return files;
    }

    // ---- B1 ----------------------------------------------------------------------------------------------------

    private async Task B1Async(CorpusFiles files, CancellationToken ct)
    {
        Say("B1: baseline warm-up (binary COPY) …");
        await db.CopyEventsAsync(generator, ct);

        // The first full import in a process pays for JIT (YAML parsing above all), a start-up cost a larger corpus
        // amortises: warm up on a scratch schema, as COPY is warmed up above.
        await ScratchImportAsync(files, ct);
        Say($"B1: importing {files.Claims:N0} claims through the full path (Importer: parse, validate, verify quotes, append) …");
        var importer = new Importer(db.Store, "import:bench");
        ImportReport report;
        var watch = Stopwatch.StartNew();
        using (var memory = new PeakMemory())
        {
            var done = 0;
            report = await importer.ImportAsync(files.Seeds, files.Events, files.Root, f =>
            {
                if (++done % 500 == 0)
                {
                    Say($"  {done:N0} files, {watch.Elapsed.TotalSeconds:N0} s");
                }
            }, ct);
            watch.Stop();
            _b1Memory = (memory.PeakHeap - memory.BaselineHeap, memory.PeakWorkingSet);
        }

        if (!report.Succeeded)
        {
            var first = report.Files.SelectMany(f => f.Errors).Take(5);
            throw new InvalidOperationException("the generated corpus did not import: " + string.Join("; ", first));
        }

        var events = report.Appended;
        var ledgerRate = events / watch.Elapsed.TotalSeconds;

        var copy = new Samples();
        long rows = 0;
        for (var i = 0; i < Math.Clamp(options.Iterations / 10, 1, 3); i++)
        {
            rows = await copy.TimeAsync(() => db.CopyEventsAsync(generator, ct));
        }

        var copyRate = rows / (copy.Median / 1000);
        var ratio = ledgerRate / copyRate;

        // Where the time goes: the same files parsed and verified with nothing written ...
        var parse = await ParseOnlyAsync(files, ct);
        _rows.Add(new BenchRow(
            "B1", $"import {events:N0} events, full path",
            $"{F(ledgerRate)} ev/s ({F(watch.Elapsed.TotalSeconds)} s); peak heap +{_b1Memory.Heap / 1e6:N0} MB, WS {_b1Memory.WorkingSet / 1e6:N0} MB",
            $"{F(copyRate)} ev/s ({F(copy.Median / 1000)} s)",
            $"{ratio:N3}×", "≥ 0.5× COPY throughput; memory flat", ratio >= 0.5,
            new Dictionary<string, double>
            {
                ["events"] = events, ["ledgerSeconds"] = watch.Elapsed.TotalSeconds, ["ledgerEventsPerSecond"] = ledgerRate,
                ["copyRows"] = rows, ["copySeconds"] = copy.Median / 1000, ["copyEventsPerSecond"] = copyRate, ["ratio"] = ratio,
                ["peakHeapBytes"] = _b1Memory.Heap, ["peakWorkingSetBytes"] = _b1Memory.WorkingSet,
                ["parseVerifyEventsPerSecond"] = parse,
                ["files"] = files.EventFiles, ["sources"] = files.Sources,
            }));
        _rows.Add(new BenchRow("B1a", "  of which: YAML parse + validate + verify quotes, nothing written", $"{F(parse)} ev/s", "", "", "(diagnostic)", null,
            new Dictionary<string, double> { ["eventsPerSecond"] = parse }));
        await AppendVariantsAsync(ct);
    }

    /// <summary>The same import into a scratch schema, dropped afterwards: the process's warm-up.</summary>
    private async Task ScratchImportAsync(CorpusFiles files, CancellationToken ct)
    {
        var schema = db.LedgerSchema + "_warmup";
        await db.ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE", ct);
        try
        {
            await using var store = BenchDatabase.OpenStore(db.ConnectionString, schema);
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            Say("B1: warm-up import into a scratch schema …");
            await new Importer(store, "import:bench").ImportAsync(files.Seeds, files.Events, files.Root, ct: ct);
        }
        finally
        {
            await db.ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE", ct);
        }
    }

    private (long Heap, long WorkingSet) _b1Memory;

    private static async Task<double> ParseOnlyAsync(CorpusFiles files, CancellationToken ct)
    {
        var sources = new Dictionary<string, SourceText>(StringComparer.Ordinal);
        foreach (var txt in Directory.EnumerateFiles(files.Seeds, "*.txt"))
        {
            var errors = new List<InputError>();
            if (SourceFile.Read(txt, files.Root, errors) is { } s)
            {
                sources[s.SourceId] = new SourceText(s.SourceId, s.Text, s.Published);
            }
        }

        var watch = Stopwatch.StartNew();
        long claims = 0;
        foreach (var folder in Directory.EnumerateDirectories(files.Events))
        {
            var registration = new List<InputError>();
            var fields = YamlDocument.Load("negotiation.yaml", await File.ReadAllTextAsync(Path.Combine(folder, NegotiationFile.FileName), ct), registration)!;
            var events = NegotiationFile.Read(fields);
            var negotiation = Negotiation.Create((NegotiationOpened)events[0]);
            foreach (var e in events.Skip(1))
            {
                negotiation = e switch
                {
                    PartyRegistered p => negotiation.Apply(p),
                    ActorRegistered a => negotiation.Apply(a),
                    TrackOpened t => negotiation.Apply(t),
                    CategoryRegistered c => negotiation.Apply(c),
                    _ => negotiation,
                };
            }

            foreach (var file in Directory.EnumerateFiles(folder, "0*.yaml").Order(StringComparer.Ordinal))
            {
                var errors = new List<InputError>();
                var root = YamlDocument.Parse(file, await File.ReadAllTextAsync(file, ct), errors)!;
                var read = Ledger.Domain.Recording.Recorder.Read(new ProposedFile(file, root), id => id == negotiation.Id ? negotiation : null, id => sources.GetValueOrDefault(id));
                claims += read.Claims.Count;
            }
        }

        return claims / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The same developments appended through Marten without the importer's file handling: one transaction per article
    /// (what import does per file) and 2,000 claims per transaction (what batching files would give).
    /// </summary>
    private async Task AppendVariantsAsync(CancellationToken ct)
    {
        var variants = new (int Batch, string Label, string Id, Action<StoreOptions>? Tweak)[]
        {
            (0, "per article", "B1b", null),
            (0, "per article, Events.AppendMode = Quick", "B1b.quick", o => o.Events.AppendMode = JasperFx.Events.EventAppendMode.Quick),
            (0, "per article, UseListenNotifyForEventAppends = false", "B1b.poll", o => o.Events.UseListenNotifyForEventAppends = false),
            (2_000, "2,000 claims per txn", "B1c", null),
            (2_000, "2,000 claims per txn, AppendMode = Quick", "B1c.quick", o => o.Events.AppendMode = JasperFx.Events.EventAppendMode.Quick),
        };
        double? plain = null;
        foreach (var (batch, label, id, tweak) in variants)
        {
            var schema = db.LedgerSchema + "_x";
            await db.ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE", ct);
            await using var store = BenchDatabase.OpenStore(db.ConnectionString, schema, tweak);
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            await RegisterAsync(store, ct);
            var (events, seconds) = await AppendDevelopmentsAsync(store, batch, ct);
            var rate = events / seconds;
            plain ??= rate;
            var change = id == "B1b" ? "" : $"{rate / plain.Value:N2}× B1b";
            // B1b runs the store as configured (NOTIFY on append); B1b.poll without it: the wake-up's price is B1b ÷ B1b.poll.
            _rows.Add(new BenchRow(id, $"  Marten append of the same claims, {label} (no files)", $"{F(rate)} ev/s ({F(seconds)} s)", "", change,
                id == "B1b.poll" ? "NOTIFY's price ≤ 15 %: B1b ≥ 0.85× B1b.poll" : "(diagnostic)", id == "B1b.poll" ? plain.Value / rate >= 0.85 : null,
                new Dictionary<string, double> { ["eventsPerSecond"] = rate, ["seconds"] = seconds, ["relativeToB1b"] = rate / plain.Value }));
            await db.ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE", ct);
        }
    }

    /// <summary>Sources and negotiations, registered as the importer registers them (not timed).</summary>
    private async Task RegisterAsync(DocumentStore store, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var pending = 0;
        foreach (var item in generator.Generate())
        {
            switch (item)
            {
                case NegotiationItem n:
                    session.Events.Append(StreamKeys.Negotiation(n.Negotiation.Id), [.. CorpusEvents.Registration(n.Negotiation)]);
                    pending++;
                    break;
                case ArticleItem a:
                    session.Events.StartStream(StreamKeys.Source(a.Article.SourceId), CorpusEvents.Source(a.Article));
                    pending++;
                    break;
            }

            if (pending >= 500)
            {
                await session.SaveChangesAsync(ct);
                pending = 0;
            }
        }

        await session.SaveChangesAsync(ct);
    }

    /// <summary>Developments already built (and known new) appended to their track streams, as the ledger writer would.</summary>
    private static int AppendClaims(IDocumentSession session, List<Development> claims)
    {
        foreach (var stream in claims.GroupBy(c => Ledger.Infrastructure.StreamKeys.Track(c.Claim.NegotiationId, c.Claim.TrackId)))
        {
            session.Events.Append(stream.Key, stream.Cast<object>().ToArray());
        }

        return claims.Count;
    }

    private async Task<(long Events, double Seconds)> AppendDevelopmentsAsync(DocumentStore store, int batch, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        long events = 0;
        var claims = new List<Development>();
        async Task FlushAsync()
        {
            if (claims.Count == 0)
            {
                return;
            }

            await using var session = store.LightweightSession();
            session.LastModifiedBy = "import:bench";
            events += AppendClaims(session, claims);
            await session.SaveChangesAsync(ct);
            claims.Clear();
        }

        foreach (var item in generator.Generate())
        {
            if (item is ArticleItem a)
            {
                claims.AddRange(a.Article.Claims.Select(c => c.Development));
                if (claims.Count >= batch)
                {
                    await FlushAsync();
                }
            }
        }

        await FlushAsync();
        return (events, watch.Elapsed.TotalSeconds);
    }

    private async Task FastLoadAsync(CorpusFiles files, CancellationToken ct)
    {
        Say($"Loading {files.Claims:N0} claims through Marten, 2,000 per transaction (no YAML, no quote verification) …");
        await RegisterAsync(db.Store, ct);
        var (events, seconds) = await AppendDevelopmentsAsync(db.Store, 2_000, ct);
        Say($"  {events:N0} events in {seconds:N1} s ({events / seconds:N0} ev/s)");
        _rows.Add(new BenchRow("B1c", "  Marten append, 2,000 claims per txn (no files)", $"{F(events / seconds)} ev/s ({F(seconds)} s)", "", "", "(diagnostic)", null,
            new Dictionary<string, double> { ["eventsPerSecond"] = events / seconds, ["seconds"] = seconds }));
    }

    // ---- B2 ----------------------------------------------------------------------------------------------------

    private int PerClient => Math.Max(20, options.Iterations * 2);

    private int SseCount => Math.Clamp(options.Iterations, 10, 50);

    /// <summary>`ledger serve`, hosted here over the bench schema, once its daemon has caught up with the corpus.</summary>
    private async Task<(HttpWorkloads?, string?)> StartServerAsync(CancellationToken ct, bool notify = false, int firstAppend = 0)
    {
        var negotiation = generator.Generate().OfType<NegotiationItem>().First().Negotiation;
        var http = new HttpWorkloads(db.ConnectionString, db.LedgerSchema, negotiation, notify) { Next = firstAppend };
        try
        {
            Say("Starting `ledger serve` in-process over the bench schema …");
            var watch = Stopwatch.StartNew();
            await http.StartAsync((PerClient * 9) + (2 * SseCount) + 40, ct);
            var high = await db.CountAsync($"SELECT coalesce(max(seq_id), 0) FROM {db.LedgerSchema}.mt_events", ct);
            while (true)
            {
                var progress = await db.Store.Advanced.AllProjectionProgress(token: ct);
                if (progress.Count > 0 && progress.Where(p => !p.ShardName.Contains("HighWater", StringComparison.Ordinal)).All(p => p.Sequence >= high))
                {
                    break;
                }

                if (watch.Elapsed > TimeSpan.FromMinutes(10))
                {
                    throw new TimeoutException("the server's daemon did not catch up with the corpus within 10 minutes");
                }

                await Task.Delay(250, ct);
            }

            // The feed publishes a durable message per development: let the server drain its inbox before measuring.
            var inbox = $"{db.LedgerSchema}.wolverine_incoming_envelopes";
            while (await db.CountAsync($"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{db.LedgerSchema}' AND table_name = 'wolverine_incoming_envelopes'", ct) > 0
                   && await db.CountAsync($"SELECT count(*) FROM {inbox} WHERE status <> 'Handled'", ct) > 0)
            {
                if (watch.Elapsed > TimeSpan.FromMinutes(10))
                {
                    throw new TimeoutException("the server did not drain its inbox within 10 minutes");
                }

                await Task.Delay(250, ct);
            }

            await Task.Delay(1_000, ct);
            Say($"  serving; its daemon caught up with {high:N0} events and drained its inbox in {watch.Elapsed.TotalSeconds:N1} s");
            return (http, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await http.DisposeAsync();
            Say($"  the server could not be used: {e.GetType().Name}: {e.Message}");
            return (null, $"not measured: `ledger serve` failed here ({e.GetType().Name}: {e.Message.Split('\n')[0]})");
        }
    }

    private async Task B2Async(HttpWorkloads? http, string? problem, CancellationToken ct)
    {
        foreach (var clients in new[] { 1, 8 })
        {
            Say($"B2: raw append, {clients} client(s) …");
            var samples = new Samples();
            var perClient = PerClient;
            var watch = Stopwatch.StartNew();
            var locals = await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(
                async () =>
                {
                    var local = new Samples();
                    await using var connection = await db.DataSource.OpenConnectionAsync(ct);
                    for (var i = 0; i < perClient; i++)
                    {
                        await local.TimeAsync(async () => await RawAppendAsync(connection, $"bench/{c % 4}", ct));
                    }

                    return local;
                },
                ct)));
            foreach (var value in locals.SelectMany(l => l.Values))
            {
                samples.Add(value);
            }

            var throughput = clients * perClient / watch.Elapsed.TotalSeconds;
            var figures = new Dictionary<string, double> { ["rawP50Ms"] = samples.Median, ["rawP99Ms"] = samples.P99, ["rawAppendsPerSecond"] = throughput };
            var baseline = $"p50 {F(samples.Median)} ms, p99 {F(samples.P99)} ms, {F(throughput)} appends/s";
            var target = clients == 1 ? "p50 ≤ 3×, p99 ≤ 5× raw" : "p50 ≤ 3×, p99 ≤ 5× raw; throughput ≥ 0.5× raw";
            if (http is null)
            {
                _rows.Add(new BenchRow($"B2.{clients}", $"append one development over HTTP, {clients} client(s)", problem ?? "not measured", baseline, "", target, null, figures));
                continue;
            }

            Say($"B2: HTTP append (POST /api/developments), {clients} client(s) …");
            http.ServerTimings.Clear();
            var (ledger, perSecond) = await http.AppendLoadAsync(clients, perClient, TimeSpan.FromSeconds(60), ct);
            var phases = http.ServerTimings.ToList();
            var p50 = ledger.Median / samples.Median;
            var p99 = ledger.P99 / samples.P99;
            var rate = perSecond / throughput;
            figures["ledgerP50Ms"] = ledger.Median;
            figures["ledgerP99Ms"] = ledger.P99;
            figures["ledgerAppendsPerSecond"] = perSecond;
            _rows.Add(new BenchRow(
                $"B2.{clients}", $"append one development over HTTP, {clients} client(s)",
                $"p50 {F(ledger.Median)} ms, p99 {F(ledger.P99)} ms, {F(perSecond)} appends/s ({ledger.Count} requests)", baseline,
                $"p50 {p50:N1}×, p99 {p99:N1}×, rate {rate:N3}×", target,
                p50 <= 3 && p99 <= 5 && (clients == 1 || rate >= 0.5), figures));
            if (phases.Count > 0)
            {
                // Medians of the endpoint's own phases (its Server-Timing header); the rest of the client's time is
                // Kestrel, routing, authentication, the body read and the JSON answer, and the network.
                var names = phases.SelectMany(p => p.Keys).Distinct().ToList();
                var medians = names.ToDictionary(n => n, n => Median(phases.Select(p => p.GetValueOrDefault(n))));
                var inside = Median(phases.Select(p => p.Values.Sum()));
                var text = string.Join(", ", names.Select(n => $"{n} {F(medians[n])}"));
                _rows.Add(new BenchRow(
                    $"B2.{clients}.where", $"  where a request's time goes (endpoint phases, p50 ms)",
                    $"{text}; in the endpoint {F(inside)} of {F(ledger.Median)} ms", "", "", "(diagnostic)", null,
                    medians.ToDictionary(m => "phase_" + m.Key + "Ms", m => m.Value)));
            }
        }
    }

    /// <summary>Where an HTTP append's time goes: the endpoint reads every registered source, with its text, per request.</summary>
    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    private async Task B2CostAsync(CancellationToken ct)
    {
        var load = new Samples();
        var count = 0;
        for (var i = 0; i < 3; i++)
        {
            await using var session = db.Store.QuerySession();
            count = await load.TimeAsync(async () => (await session.Query<Ledger.Sources.Source>().ToListAsync(ct)).Count);
        }

        _rows.Add(new BenchRow("B2.cost", $"  reading every registered source ({count:N0}) per request, the cost the registry cache saves", $"p50 {F(load.Median)} ms per request", "", "", "(diagnostic)", null,
            new Dictionary<string, double> { ["sources"] = count, ["loadSourcesMs"] = load.Median }));
    }

    /// <summary>Raw Npgsql append: lock the stream row, insert the event, bump the version, commit.</summary>
    private async Task<int> RawAppendAsync(NpgsqlConnection connection, string stream, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var upsert = new NpgsqlCommand($"INSERT INTO {db.RawSchema}.streams (id, version) VALUES ($1, 0) ON CONFLICT (id) DO NOTHING", connection, tx))
        {
            upsert.Parameters.AddWithValue(stream);
            await upsert.ExecuteNonQueryAsync(ct);
        }

        long version;
        await using (var lockRow = new NpgsqlCommand($"SELECT version FROM {db.RawSchema}.streams WHERE id = $1 FOR UPDATE", connection, tx))
        {
            lockRow.Parameters.AddWithValue(stream);
            version = (long)(await lockRow.ExecuteScalarAsync(ct))! + 1;
        }

        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO {db.RawSchema}.events (id, stream_id, version, data, type, seq_id) VALUES ($1, $2, $3, $4::jsonb, 'bench', nextval('{db.RawSchema}.bench_seq'))", connection, tx))
        {
            insert.Parameters.AddWithValue(Guid.CreateVersion7());
            insert.Parameters.AddWithValue(stream);
            insert.Parameters.AddWithValue(version);
            insert.Parameters.AddWithValue(_sampleJson);
            await insert.ExecuteNonQueryAsync(ct);
        }

        await using (var bump = new NpgsqlCommand($"UPDATE {db.RawSchema}.streams SET version = $2 WHERE id = $1", connection, tx))
        {
            bump.Parameters.AddWithValue(stream);
            bump.Parameters.AddWithValue(version);
            await bump.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return 1;
    }

    private string _sampleJson = "{}";

    // ---- B3 ----------------------------------------------------------------------------------------------------

    private async Task<Samples> B3RawAsync(CancellationToken ct)
    {
        var count = SseCount;
        Say($"B3: INSERT + NOTIFY → LISTEN, {count * 4} round trips …");
        var raw = new Samples();
        await using (var listener = await db.DataSource.OpenConnectionAsync(ct))
        await using (var writer = await db.DataSource.OpenConnectionAsync(ct))
        {
            TaskCompletionSource<long>? waiting = null;
            listener.Notification += (_, e) => waiting?.TrySetResult(long.Parse(e.Payload, CultureInfo.InvariantCulture));
            await using (var listen = new NpgsqlCommand("LISTEN bench_b3", listener))
            {
                await listen.ExecuteNonQueryAsync(ct);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var pump = Task.Run(
                async () =>
                {
                    try
                    {
                        while (!stop.IsCancellationRequested)
                        {
                            await listener.WaitAsync(stop.Token);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                    }
                },
                ct);
            for (var i = 0; i < (count * 4) + 5; i++)
            {
                waiting = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                var watch = Stopwatch.StartNew();
                await using (var insert = new NpgsqlCommand(
                    $"WITH row AS (INSERT INTO {db.RawSchema}.notified (data) VALUES ($1::jsonb) RETURNING id) SELECT pg_notify('bench_b3', id::text) FROM row", writer))
                {
                    insert.Parameters.AddWithValue(_sampleJson);
                    await insert.ExecuteNonQueryAsync(ct);
                }

                await waiting.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
                if (i >= 5)
                {
                    raw.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            await stop.CancelAsync();
            await pump;
        }

        return raw;
    }

    private async Task B3ProjectionAsync(Samples raw, CancellationToken ct)
    {
        var count = SseCount;
        Say($"B3: append → async timeline projection updated (store as configured, daemon running), {count} appends …");
        var projection = new Samples();
        var inline = new Samples();
        await ProjectionLatencyAsync(db.Store, count, projection, inline, "b3", ct);

        Say($"B3: the same with UseListenNotifyForEventAppends = false (daemon polling), {count} appends …");
        var notified = new Samples();
        await using (var notifyStore = BenchDatabase.OpenStore(db.ConnectionString, db.LedgerSchema, o => o.Events.UseListenNotifyForEventAppends = false))
        {
            await notifyStore.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            await ProjectionLatencyAsync(notifyStore, count, notified, null, "b3n", ct);
        }

        _rows.Add(new BenchRow(
            "B3.poll", "append → projection updated, UseListenNotifyForEventAppends = false (daemon polling)",
            $"p50 {F(notified.Median)} ms, p99 {F(notified.P99)} ms", $"NOTIFY→LISTEN p50 {F(raw.Median)} ms, p99 {F(raw.P99)} ms",
            $"{notified.P99 / raw.P99:N1}× (p99)", "(diagnostic)", null,
            new Dictionary<string, double> { ["ledgerP50Ms"] = notified.Median, ["ledgerP99Ms"] = notified.P99, ["rawP50Ms"] = raw.Median, ["rawP99Ms"] = raw.P99 }));
        _rows.Add(new BenchRow(
            "B3", "append → async timeline projection updated (store as configured)",
            $"p50 {F(projection.Median)} ms, p99 {F(projection.P99)} ms (inline claim row: p50 {F(inline.Median)} ms at commit)",
            $"NOTIFY→LISTEN p50 {F(raw.Median)} ms, p99 {F(raw.P99)} ms",
            $"{projection.P99 / raw.P99:N1}× (p99)", "p99 ≤ 50 ms", projection.P99 <= 50,
            new Dictionary<string, double>
            {
                ["ledgerP50Ms"] = projection.Median, ["ledgerP99Ms"] = projection.P99, ["inlineCommitP50Ms"] = inline.Median,
                ["rawP50Ms"] = raw.Median, ["rawP99Ms"] = raw.P99,
            }));
    }

    private async Task B3SseAsync(HttpWorkloads? http, string? problem, Samples raw, CancellationToken ct, string id = "B3.sse", string variant = "")
    {
        var count = SseCount;
        if (http is null)
        {
            _rows.Add(new BenchRow(id, "append (HTTP) → delivered to a live SSE subscriber" + variant, problem ?? "not measured",
                $"NOTIFY→LISTEN p50 {F(raw.Median)} ms, p99 {F(raw.P99)} ms", "", "p99 ≤ 50 ms", null, new Dictionary<string, double>()));
            return;
        }

        Say($"B3: POST /api/developments → event on a live /api/stream subscriber, {count} appends …");
        var sse = await http.SseLatencyAsync(count, _rng, ct);
        _rows.Add(new BenchRow(
            id, "append (HTTP POST) → delivered to a live SSE subscriber (/api/stream)" + variant,
            $"p50 {F(sse.Median)} ms, p99 {F(sse.P99)} ms", $"NOTIFY→LISTEN p50 {F(raw.Median)} ms, p99 {F(raw.P99)} ms",
            $"{sse.P99 / raw.P99:N1}× (p99)", "p99 ≤ 50 ms", sse.P99 <= 50,
            new Dictionary<string, double> { ["ledgerP50Ms"] = sse.Median, ["ledgerP99Ms"] = sse.P99, ["rawP50Ms"] = raw.Median, ["rawP99Ms"] = raw.P99 }));
    }

    private async Task ProjectionLatencyAsync(DocumentStore store, int count, Samples projection, Samples? inline, string prefix, CancellationToken ct)
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.CatchUpAsync(ct);
        await daemon.StartAllAsync();
        var template = await AnyDevelopmentAsync(ct);
        for (var i = 0; i < count + 2; i++)
        {
            var claimId = Guid.NewGuid();
            var development = template with { Claim = template.Claim with { ClaimId = claimId, DevelopmentKey = $"{prefix}-{i}" } };
            var watch = Stopwatch.StartNew();
            await using (var session = store.LightweightSession())
            {
                AppendClaims(session, [development]);
                await session.SaveChangesAsync(ct);
            }

            var inlineMs = watch.Elapsed.TotalMilliseconds;
            while (true)
            {
                await using var query = store.QuerySession();
                if (await query.LoadAsync<TimelineEntry>(claimId, ct) is not null)
                {
                    break;
                }

                if (watch.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException("the timeline projection did not catch up within 30 s");
                }

                await Task.Delay(1, ct);
            }

            if (i >= 2)
            {
                projection.Add(watch.Elapsed.TotalMilliseconds);
                inline?.Add(inlineMs);
            }

            // Appends arrive apart, as single developments do; the daemon is not kept in its fast-polling mode.
            await Task.Delay(_rng.Next(50, 300), ct);
        }

        await daemon.StopAllAsync();
    }

    private async Task<Development> AnyDevelopmentAsync(CancellationToken ct)
    {
        await using var session = db.Store.QuerySession();
        var record = await session.Query<ClaimRecord>().Where(c => c.Kind == "position-stated").FirstAsync(ct);
        _sampleJson = System.Text.Json.JsonSerializer.Serialize(record.Development, BenchDatabase.RawJson);
        return record.Development;
    }

    // ---- B4 ----------------------------------------------------------------------------------------------------

    private TimeAxes RandomAxes(DateOnly first, DateOnly last, bool knownOn)
    {
        var span = Math.Max(1, last.DayNumber - first.DayNumber);
        var asOf = first.AddDays(_rng.Next(span / 4, span + 1));
        return new TimeAxes(asOf, knownOn ? asOf.AddDays(_rng.Next(0, 30)) : null);
    }

    private async Task B4Async(CancellationToken ct)
    {
        var medians = new Dictionary<int, double>();
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        await AnyDevelopmentAsync(ct);
        foreach (var track in generator.SizedTracks)
        {
            var (first, last, claims) = await db.TrackSpanAsync(track.NegotiationId, track.TrackId, ct);
            Say($"B4: track {track.TrackId} ({claims:N0} claims), {options.Iterations} interleaved pairs after warm-up …");
            var ledger = new Samples();
            var raw = new Samples();
            using var wholeFoldCounter = new CounterTotal(Telemetry.Meter.Name, Telemetry.WholeTrackFolds.Name);
            for (var i = 0; i < options.Iterations + 3; i++)
            {
                var axes = RandomAxes(first, last, knownOn: true);
                var measure = i >= 3;
                async Task Ledger()
                {
                    var watch = Stopwatch.StartNew();
                    await using var session = db.Store.QuerySession();
                    await TrackQueries.StatusAsync(session, track.NegotiationId, track.TrackId, axes, null, ct);
                    if (measure)
                    {
                        ledger.Add(watch.Elapsed.TotalMilliseconds);
                    }
                }

                async Task Raw()
                {
                    var watch = Stopwatch.StartNew();
                    await db.RawTrackStatusAsync(connection, track.NegotiationId, track.TrackId, axes, ct);
                    if (measure)
                    {
                        raw.Add(watch.Elapsed.TotalMilliseconds);
                    }
                }

                if (i % 2 == 0)
                {
                    await Ledger();
                    await Raw();
                }
                else
                {
                    await Raw();
                    await Ledger();
                }
            }

            var wholeFolds = wholeFoldCounter.Total;

            // Where the time goes, for the whole track as of its last day: SQL + deserialization, then the fold alone.
            var all = new TimeAxes(last, null);
            var select = new Samples();
            var fold = new Samples();
            List<Development> rows = [];
            TrackStatus status = null!;
            for (var i = 0; i < 7; i++)
            {
                rows = await select.TimeAsync(() => db.RawClaimsAsync(connection, track.NegotiationId, track.TrackId, all, ct));
                status = await fold.TimeAsync(() => Task.FromResult(TrackStatusFold.Fold(track.NegotiationId, track.TrackId, rows, all)));
            }

            var statusBytes = System.Text.Encoding.UTF8.GetByteCount(Ledger.Infrastructure.Json.Serialize(status));
            // The ledger's own answer as of the last day, timed alone (no raw fold in between to share the heap with).
            TrackStatus answer = null!;
            var alone = new Samples();
            for (var i = 0; i < 5; i++)
            {
                await using var session = db.Store.QuerySession();
                answer = await alone.TimeAsync(async () => (await TrackQueries.StatusAsync(session, track.NegotiationId, track.TrackId, all, null, ct)).Tracks.Single().Status);
            }

            var answerBytes = System.Text.Encoding.UTF8.GetByteCount(Ledger.Infrastructure.Json.Serialize(answer));
            var docBytes = await db.CountAsync(
                $"SELECT coalesce(sum(octet_length(data::text)), 0) FROM {db.LedgerSchema}.mt_doc_claimrecord WHERE data ->> 'negotiationId' = '{track.NegotiationId}' AND data ->> 'trackId' = '{track.TrackId}'", ct);
            var rawBytes = await db.CountAsync(
                $"SELECT coalesce(sum(octet_length(data::text)), 0) FROM {db.RawSchema}.track_claims WHERE negotiation_id = '{track.NegotiationId}' AND track_id = '{track.TrackId}'", ct);
            var costRow = new BenchRow(
                $"B4.{track.TargetClaims}.cost", $"  where it goes, whole track ({rows.Count:N0} claims)",
                $"as of the last day, alone: p50 {F(alone.Median)} ms; status JSON {answerBytes / 1024.0:N0} KB{(answer.Window is null ? "" : $" (lists: latest {answer.Window.Reports} reports)")}; "
                + $"whole-track folds {wholeFolds} of {options.Iterations + 3}; ClaimRecord JSON {docBytes / Math.Max(1, rows.Count):N0} B/claim",
                $"select+deserialize p50 {F(select.Median)} ms; fold p50 {F(fold.Median)} ms; status JSON {statusBytes / 1024.0:N0} KB; raw JSON {rawBytes / Math.Max(1, rows.Count):N0} B/claim",
                "", "(diagnostic)", null,
                new Dictionary<string, double>
                {
                    ["claims"] = rows.Count, ["selectMs"] = select.Median, ["foldMs"] = fold.Median, ["statusJsonBytes"] = statusBytes,
                    ["ledgerStatusJsonBytes"] = answerBytes, ["wholeTrackFolds"] = wholeFolds, ["ledgerAloneLastDayMs"] = alone.Median,
                    ["ledgerDocBytesPerClaim"] = docBytes / Math.Max(1.0, rows.Count), ["rawBytesPerClaim"] = rawBytes / Math.Max(1.0, rows.Count),
                });
            medians[track.TargetClaims] = ledger.Median;
            var ratio = ledger.Median / raw.Median;
            _rows.Add(new BenchRow(
                $"B4.{track.TargetClaims}", $"status of one track, as of + known on, {claims:N0} claims",
                $"p50 {F(ledger.Median)} ms, p99 {F(ledger.P99)} ms", $"p50 {F(raw.Median)} ms, p99 {F(raw.P99)} ms",
                $"{ratio:N2}×", "≤ 1.5× raw", ratio <= 1.5,
                new Dictionary<string, double>
                {
                    ["claims"] = claims, ["ledgerP50Ms"] = ledger.Median, ["ledgerP99Ms"] = ledger.P99, ["rawP50Ms"] = raw.Median, ["rawP99Ms"] = raw.P99, ["ratio"] = ratio,
                }));
            _rows.Add(costRow);
        }

        if (medians.Count >= 2)
        {
            var smallest = medians.MinBy(m => m.Key);
            var largest = medians.MaxBy(m => m.Key);
            var growth = largest.Value / smallest.Value;
            _rows.Add(new BenchRow(
                "B4.growth", $"p50 at {largest.Key:N0} ÷ p50 at {smallest.Key:N0} claims", $"{growth:N2}×", "", "",
                largest.Key >= 100_000 ? "≤ 3× (100k vs 100)" : "≤ 3× (100k vs 100; largest size here)", growth <= 3,
                new Dictionary<string, double> { ["growth"] = growth }));
        }
    }

    // ---- B5 ----------------------------------------------------------------------------------------------------

    private async Task B5Async(CancellationToken ct)
    {
        var negotiation = CorpusGenerator.MainNegotiation;
        var tracks = await db.TrackIdsAsync(negotiation, ct);
        var (first, last, claims) = await db.TrackSpanAsync(negotiation, null, ct);
        Say($"B5: all {tracks.Count} tracks of {negotiation} ({claims:N0} claims), {options.Iterations} interleaved pairs …");
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        var ledger = new Samples();
        var raw = new Samples();
        for (var i = 0; i < options.Iterations + 3; i++)
        {
            var axes = RandomAxes(first, last, knownOn: false);
            var watch = Stopwatch.StartNew();
            await using (var session = db.Store.QuerySession())
            {
                await TrackQueries.StatusAsync(session, negotiation, null, axes, null, ct);
            }

            var ledgerMs = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            foreach (var track in tracks)
            {
                await db.RawTrackStatusAsync(connection, negotiation, track, axes, ct);
            }

            if (i >= 3)
            {
                ledger.Add(ledgerMs);
                raw.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var ratio = ledger.Median / raw.Median;
        _rows.Add(new BenchRow(
            "B5", $"status of all {tracks.Count} tracks of a negotiation as of a date, {claims:N0} claims",
            $"p50 {F(ledger.Median)} ms, p99 {F(ledger.P99)} ms", $"p50 {F(raw.Median)} ms, p99 {F(raw.P99)} ms (per-track sum)",
            $"{ratio:N2}×", "p99 ≤ 100 ms and ≤ 1.5× raw", ledger.P99 <= 100 && ratio <= 1.5,
            new Dictionary<string, double>
            {
                ["claims"] = claims, ["tracks"] = tracks.Count, ["ledgerP50Ms"] = ledger.Median, ["ledgerP99Ms"] = ledger.P99,
                ["rawP50Ms"] = raw.Median, ["rawP99Ms"] = raw.P99, ["ratio"] = ratio,
            }));
    }

    // ---- B6 ----------------------------------------------------------------------------------------------------

    private async Task B6Async(CancellationToken ct)
    {
        var developments = await db.CountAsync($"SELECT count(*) FROM {db.LedgerSchema}.mt_doc_claimrecord", ct);
        var allEvents = await db.CountAsync($"SELECT count(*) FROM {db.LedgerSchema}.mt_events", ct);
        var rounds = Math.Clamp(options.Iterations / 10, 1, 3);
        Say($"B6: full rebuild of every stored projection ({allEvents:N0} events, {developments:N0} developments), {rounds} interleaved rounds after warm-up …");

        // What `ledger rebuild` runs, then the alternatives measured against it in the same rounds and not chosen.
        await using var rowByRow = BenchDatabase.OpenStore(db.ConnectionString, db.LedgerSchema, o => o.Projections.RebuildWithBulkCopy = false);
        await using var smallBatches = BenchDatabase.OpenStore(db.ConnectionString, db.LedgerSchema, eventBatchSize: 500);
        var variants = new List<(string Id, string Label, Func<CancellationToken, Task<IReadOnlyList<(string Projection, TimeSpan Elapsed)>>> Rebuild)>
        {
            ("B6", "", token => RebuildCommand.RunAsync(db.Store, null, token)),
            ("B6.serial", "projections one after another", token => RebuildCommand.RunAsync(db.Store, null, token, oneAfterAnother: true)),
            ("B6.rows", "RebuildWithBulkCopy = false (row by row)", token => RebuildCommand.RunAsync(rowByRow, null, token)),
            ("B6.b500", "BatchSize 500 (Marten's default)", token => RebuildCommand.RunAsync(smallBatches, null, token)),
        };
        var ledger = variants.ToDictionary(v => v.Id, _ => new Samples());
        var perProjection = new Dictionary<string, Samples>(StringComparer.Ordinal);
        var raw = new Samples();
        for (var i = 0; i <= rounds; i++)
        {
            foreach (var (id, _, rebuild) in variants)
            {
                var watch = Stopwatch.StartNew();
                var timings = await rebuild(ct);
                if (i > 0)
                {
                    ledger[id].Add(watch.Elapsed.TotalMilliseconds);
                    if (id == "B6")
                    {
                        foreach (var (projection, elapsed) in timings)
                        {
                            (perProjection.TryGetValue(projection, out var samples) ? samples : perProjection[projection] = new Samples()).Add(elapsed.TotalMilliseconds);
                        }
                    }
                }
            }

            var rawWatch = Stopwatch.StartNew();
            await db.RawReplayAsync(ct);
            if (i > 0)
            {
                raw.Add(rawWatch.Elapsed.TotalMilliseconds);
            }
        }

        var rawRate = allEvents / (raw.Median / 1000);
        var ledgerRate = allEvents / (ledger["B6"].Median / 1000);
        var ratio = ledgerRate / rawRate;
        _rows.Add(new BenchRow(
            "B6", $"full rebuild: {perProjection.Count} projections from {allEvents:N0} events",
            $"{F(ledgerRate)} ev/s ({F(ledger["B6"].Median / 1000)} s)", $"{F(rawRate)} ev/s ({F(raw.Median / 1000)} s)",
            $"{ratio:N2}×", "≥ 0.4× raw and ≥ 10k ev/s", ratio >= 0.4 && ledgerRate >= 10_000,
            new Dictionary<string, double>
            {
                ["events"] = allEvents, ["developments"] = developments, ["ledgerSeconds"] = ledger["B6"].Median / 1000, ["rawSeconds"] = raw.Median / 1000,
                ["ledgerEventsPerSecond"] = ledgerRate, ["rawEventsPerSecond"] = rawRate, ["ratio"] = ratio,
            }));

        // Where the time goes: each projection's own rebuild, as RebuildCommand times it (overlapping when run in parallel).
        foreach (var (projection, samples) in perProjection)
        {
            _rows.Add(new BenchRow(
                $"B6.{projection[..Math.Min(5, projection.Length)].ToLowerInvariant()}", $"  {projection.Replace("Projection", "", StringComparison.Ordinal)} alone", $"{F(samples.Median / 1000)} s",
                "", $"{samples.Median / ledger["B6"].Median:P0} of B6", "(diagnostic)", null,
                new Dictionary<string, double> { ["seconds"] = samples.Median / 1000, ["shareOfB6"] = samples.Median / ledger["B6"].Median }));
        }

        foreach (var (id, label, _) in variants.Skip(1))
        {
            var rate = allEvents / (ledger[id].Median / 1000);
            _rows.Add(new BenchRow(
                id, $"  full rebuild, {label}", $"{F(rate)} ev/s ({F(ledger[id].Median / 1000)} s)", "", $"{rate / ledgerRate:N2}× B6", "(diagnostic)", null,
                new Dictionary<string, double> { ["eventsPerSecond"] = rate, ["seconds"] = ledger[id].Median / 1000, ["relativeToB6"] = rate / ledgerRate }));
        }
    }
}
