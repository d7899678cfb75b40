using System.Text.Json;
using System.Text.Json.Serialization;
using JasperFx.Events.Daemon;
using Ledger.Audit;
using Ledger.Bench.Corpus;
using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Sources;
using Ledger.Domain.Tracks;
using Ledger.Infrastructure;
using Ledger.Negotiations;
using Ledger.Sources;
using Ledger.Timeline;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.Bench.Baselines;

/// <summary>
/// The ledger's schema and a "raw" schema beside it on the same PostgreSQL. The raw tables are created LIKE the
/// ledger's own tables (same columns, defaults and indexes), so a baseline writes the same rows under the same
/// indexes; plus one plain, typed table of a track's claims for the raw read path.
/// </summary>
public sealed class BenchDatabase(string connectionString, string ledgerSchema, string rawSchema) : IAsyncDisposable
{
    /// <summary>How the raw baselines read and write JSON: what Marten writes, read back with jsonb's reordered keys.</summary>
    public static readonly JsonSerializerOptions RawJson = new(JsonSerializerDefaults.Web)
    {
        AllowOutOfOrderMetadataProperties = true,
        Converters = { new JsonStringEnumConverter() },

        // Developments are polymorphic through the kinds table (as every serializer the ledger configures is), not attributes.
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver { Modifiers = { DevelopmentKinds.DeclarePolymorphism } },
    };

    public string ConnectionString { get; } = connectionString;

    public string LedgerSchema { get; } = ledgerSchema;

    public string RawSchema { get; } = rawSchema;

    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(connectionString);

    public DocumentStore Store { get; private set; } = OpenStore(connectionString, ledgerSchema);

    public static DocumentStore OpenStore(string connectionString, string schema, Action<StoreOptions>? tweak = null, int eventBatchSize = LedgerStore.EventBatchSize) => DocumentStore.For(options =>
    {
        options.ConfigureLedger(connectionString, schema, eventBatchSize);
        options.Projections.AsyncMode = DaemonMode.Solo;
        tweak?.Invoke(options);
    });

    /// <summary>Drops both schemas and creates them afresh (a new store, since Marten remembers what it created).</summary>
    public async Task ResetAsync(CancellationToken ct)
    {
        await ExecuteAsync($"DROP SCHEMA IF EXISTS {LedgerSchema} CASCADE; DROP SCHEMA IF EXISTS {RawSchema} CASCADE; CREATE SCHEMA {RawSchema};", ct);
        await Store.DisposeAsync();
        Store = OpenStore(ConnectionString, LedgerSchema);
        await Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await CreateRawTablesAsync(ct);
    }

    public async Task CreateRawTablesAsync(CancellationToken ct)
    {
        string Like(string name, string table) =>
            $"DROP TABLE IF EXISTS {RawSchema}.{name}; CREATE TABLE {RawSchema}.{name} (LIKE {LedgerSchema}.{table} INCLUDING DEFAULTS INCLUDING INDEXES INCLUDING CONSTRAINTS);";
        await ExecuteAsync(
            Like("events", "mt_events") + Like("streams", "mt_streams") + Like("claims", "mt_doc_claimrecord")
            + Like("claims_out", "mt_doc_claimrecord") + Like("timeline_out", "mt_doc_timelineentry")
            + Like("sources_out", "mt_doc_source") + Like("negotiations_out", "mt_doc_negotiationregistration") + $"""
            DROP TABLE IF EXISTS {RawSchema}.track_claims;
            CREATE TABLE {RawSchema}.track_claims (
                negotiation_id text NOT NULL, track_id text NOT NULL, occurred_by date NOT NULL, published date NOT NULL,
                amends boolean NOT NULL, data jsonb NOT NULL);
            CREATE INDEX ON {RawSchema}.track_claims (negotiation_id, track_id, occurred_by);
            DROP SEQUENCE IF EXISTS {RawSchema}.bench_seq;
            CREATE SEQUENCE {RawSchema}.bench_seq START 100000000;
            DROP TABLE IF EXISTS {RawSchema}.notified;
            CREATE TABLE {RawSchema}.notified (id bigserial PRIMARY KEY, data jsonb NOT NULL);
            """,
            ct);
    }

    public async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<long> CountAsync(string sql, CancellationToken ct)
    {
        await using var command = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<IReadOnlyList<(string Name, string Type)>> ColumnsAsync(string schema, string table, CancellationToken ct)
    {
        await using var command = DataSource.CreateCommand(
            "SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position");
        command.Parameters.AddWithValue(schema);
        command.Parameters.AddWithValue(table);
        var columns = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    // ---- B1 baseline: the same event rows, binary COPY ------------------------------------------------------

    /// <summary>One event row as Marten writes it to mt_events (and the claim row its inline projection writes).</summary>
    public sealed record EventRow(Guid Id, string StreamId, long Version, object Data, string ImportFile);

    /// <summary>
    /// The events the importer appends for a corpus, in import order, built straight from the generator (no files):
    /// sources, negotiation registrations, then developments.
    /// </summary>
    public static IEnumerable<EventRow> EventRows(CorpusGenerator generator)
    {
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        EventRow Next(string stream, object data, string file)
        {
            var version = versions[stream] = versions.GetValueOrDefault(stream) + 1;
            return new EventRow(Guid.CreateVersion7(), stream, version, data, file);
        }

        foreach (var item in generator.Generate())
        {
            switch (item)
            {
                case NegotiationItem n:
                    foreach (var e in CorpusEvents.Registration(n.Negotiation))
                    {
                        yield return Next(StreamKeys.Negotiation(n.Negotiation.Id), e, $"events/{n.Negotiation.Id}/negotiation.yaml");
                    }

                    break;
                case ArticleItem a:
                    yield return Next(StreamKeys.Source(a.Article.SourceId), CorpusEvents.Source(a.Article), "");
                    foreach (var c in a.Article.Claims)
                    {
                        var d = c.Development.Claim;
                        yield return Next(StreamKeys.Track(d.NegotiationId, d.TrackId), c.Development, $"events/{a.Article.NegotiationId}/{a.Article.SourceId}.yaml");
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// The physical limit of writing the corpus: every event row (same payload as Marten's serializer writes), every
    /// stream row and every claim row, by binary COPY into tables LIKE the ledger's, in one transaction.
    /// </summary>
    public async Task<long> CopyEventsAsync(CorpusGenerator generator, CancellationToken ct)
    {
        await ExecuteAsync($"TRUNCATE {RawSchema}.events, {RawSchema}.streams, {RawSchema}.claims", ct);
        var serializer = Store.Options.Serializer();
        // Columns the ledger fills; the rest take their defaults, as they do under Marten.
        var eventColumns = (await ColumnsAsync(RawSchema, "events", ct)).Where(c => c.Name is "seq_id" or "id" or "stream_id" or "version" or "data" or "type"
            or "timestamp" or "tenant_id" or "mt_dotnet_type" or "headers" or "user_name" or "is_archived").ToList();
        var claimColumns = await ColumnsAsync(RawSchema, "claims", ct);
        var streamColumns = (await ColumnsAsync(RawSchema, "streams", ct)).Where(c => c.Name is "id" or "version" or "timestamp" or "created" or "tenant_id" or "is_archived").ToList();
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Claim rows go down a second connection, so neither COPY holds the corpus in memory.
        await using var claimConnection = await DataSource.OpenConnectionAsync(ct);
        await using var claimTx = await claimConnection.BeginTransactionAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var streams = new Dictionary<string, (long Version, string Type)>(StringComparer.Ordinal);
        var claims = new List<(object Id, string Json)>();
        long rows = 0, seq = 0;
        await using (var events = await connection.BeginBinaryImportAsync(
            $"COPY {RawSchema}.events ({string.Join(", ", eventColumns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var e in EventRows(generator))
            {
                seq++;
                var json = serializer.ToJson(e.Data);
                await events.StartRowAsync(ct);
                foreach (var (name, type) in eventColumns)
                {
                    switch (name)
                    {
                        case "seq_id": await events.WriteAsync(seq, NpgsqlDbType.Bigint, ct); break;
                        case "id": await events.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct); break;
                        case "stream_id": await events.WriteAsync(e.StreamId, NpgsqlDbType.Varchar, ct); break;
                        case "version": await events.WriteAsync(e.Version, NpgsqlDbType.Bigint, ct); break;
                        case "data": await events.WriteAsync(json, NpgsqlDbType.Jsonb, ct); break;
                        case "type": await events.WriteAsync(EventTypeName(e.Data), NpgsqlDbType.Varchar, ct); break;
                        case "timestamp": await events.WriteAsync(now, NpgsqlDbType.TimestampTz, ct); break;
                        case "tenant_id": await events.WriteAsync("*DEFAULT*", NpgsqlDbType.Varchar, ct); break;
                        case "mt_dotnet_type": await events.WriteAsync(e.Data.GetType().FullName + ", " + e.Data.GetType().Assembly.GetName().Name, NpgsqlDbType.Varchar, ct); break;
                        case "headers": await events.WriteAsync($$"""{"import-file": "{{e.ImportFile}}"}""", NpgsqlDbType.Jsonb, ct); break;
                        case "user_name": await events.WriteAsync("import:bench", NpgsqlDbType.Varchar, ct); break;
                        case "is_archived": await events.WriteAsync(false, NpgsqlDbType.Boolean, ct); break;
                        default: await events.WriteNullAsync(ct); break;
                    }
                }

                streams[e.StreamId] = (e.Version, "");
                if (e.Data is Development development)
                {
                    var record = new ClaimRecord(development.Claim.ClaimId, development.Claim.NegotiationId, development.Claim.TrackId, development.Claim.DevelopmentKey,
                        development.Kind, development.Claim.Provenance.SourceId, development.Claim.Provenance.Quote.Start, development.Claim.Provenance.Quote.End,
                        development.Claim.Provenance.Occurred.Latest, development.Claim.Provenance.Published, development is ReportCorrected or ReportRetracted,
                        e.StreamId, e.Id, development);
                    claims.Add((record.Id, serializer.ToJson(record)));
                    if (claims.Count >= 5_000)
                    {
                        await CopyDocumentsAsync(claimConnection, "claims", claimColumns, claims, typeof(ClaimRecord), ct);
                        claims.Clear();
                    }
                }

                rows++;
            }

            await events.CompleteAsync(ct);
        }

        await CopyDocumentsAsync(claimConnection, "claims", claimColumns, claims, typeof(ClaimRecord), ct);
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY {RawSchema}.streams ({string.Join(", ", streamColumns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (id, (version, _)) in streams)
            {
                await copy.StartRowAsync(ct);
                foreach (var (name, _) in streamColumns)
                {
                    switch (name)
                    {
                        case "id": await copy.WriteAsync(id, NpgsqlDbType.Varchar, ct); break;
                        case "version": await copy.WriteAsync(version, NpgsqlDbType.Bigint, ct); break;
                        case "timestamp" or "created": await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct); break;
                        case "tenant_id": await copy.WriteAsync("*DEFAULT*", NpgsqlDbType.Varchar, ct); break;
                        case "is_archived": await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct); break;
                        default: await copy.WriteNullAsync(ct); break;
                    }
                }
            }

            await copy.CompleteAsync(ct);
        }

        await tx.CommitAsync(ct);
        await claimTx.CommitAsync(ct);
        return rows;
    }

    private async Task CopyDocumentsAsync(NpgsqlConnection connection, string table, IReadOnlyList<(string Name, string Type)> columns, IEnumerable<(object Id, string Json)> rows, Type type, CancellationToken ct, Dictionary<string, long>? revisions = null)
    {
        var now = DateTimeOffset.UtcNow;
        columns = [.. columns.Where(c => c.Name is "id" or "data" or "mt_last_modified" or "mt_version" or "mt_dotnet_type")];
        var idType = columns.First(c => c.Name == "id").Type == "uuid" ? NpgsqlDbType.Uuid : NpgsqlDbType.Varchar;
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY {RawSchema}.{table} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (id, json) in rows)
        {
            await copy.StartRowAsync(ct);
            foreach (var (name, _) in columns)
            {
                switch (name)
                {
                    case "id" when id is Guid guid: await copy.WriteAsync(guid, idType, ct); break;
                    case "id": await copy.WriteAsync((string)id, idType, ct); break;
                    case "data": await copy.WriteAsync(json, NpgsqlDbType.Jsonb, ct); break;
                    case "mt_last_modified": await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct); break;
                    // Aggregated documents carry their stream's version as a numeric revision, other documents a Guid.
                    case "mt_version" when revisions is not null: await copy.WriteAsync(revisions[(string)id], NpgsqlDbType.Bigint, ct); break;
                    case "mt_version": await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct); break;
                    case "mt_dotnet_type": await copy.WriteAsync(type.FullName!, NpgsqlDbType.Varchar, ct); break;
                    default: await copy.WriteNullAsync(ct); break;
                }
            }
        }

        await copy.CompleteAsync(ct);
    }

    private static string EventTypeName(object data)
    {
        var name = data.GetType().Name;
        var b = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                b.Append('_');
            }

            b.Append(char.ToLowerInvariant(name[i]));
        }

        return b.ToString();
    }

    // ---- B4/B5 baseline: a plain table of claims, read and folded in C# ----------------------------------------

    /// <summary>Fills the raw claims table from the ledger's own events (what the raw read path reads).</summary>
    public async Task<long> FillTrackClaimsAsync(CancellationToken ct)
    {
        await ExecuteAsync($"TRUNCATE {RawSchema}.track_claims", ct);
        long rows = 0;
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY {RawSchema}.track_claims (negotiation_id, track_id, occurred_by, published, amends, data) FROM STDIN (FORMAT BINARY)", ct);
        await foreach (var (_, _, _, development) in ReadDevelopmentsAsync(ct))
        {
            var c = development.Claim;
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(c.NegotiationId, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(c.TrackId, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(c.Provenance.Occurred.Latest, NpgsqlDbType.Date, ct);
            await copy.WriteAsync(c.Provenance.Published, NpgsqlDbType.Date, ct);
            await copy.WriteAsync(development is ReportCorrected or ReportRetracted, NpgsqlDbType.Boolean, ct);
            await copy.WriteAsync(JsonSerializer.Serialize(development, RawJson), NpgsqlDbType.Jsonb, ct);
            rows++;
        }

        await copy.CompleteAsync(ct);
        await ExecuteAsync($"ANALYZE {RawSchema}.track_claims", ct);
        return rows;
    }

    /// <summary>The raw read path: one SQL select of the track's rows the axes let through, deserialized and folded.</summary>
    public async Task<TrackStatus> RawTrackStatusAsync(NpgsqlConnection connection, string negotiationId, string trackId, TimeAxes axes, CancellationToken ct) =>
        TrackStatusFold.Fold(negotiationId, trackId, await RawClaimsAsync(connection, negotiationId, trackId, axes, ct), axes);

    /// <summary>The raw select and deserialization alone, without the fold.</summary>
    public async Task<List<Development>> RawClaimsAsync(NpgsqlConnection connection, string negotiationId, string trackId, TimeAxes axes, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT data FROM {RawSchema}.track_claims WHERE negotiation_id = $1 AND track_id = $2 AND (occurred_by <= $3 OR amends) AND published <= $4",
            connection);
        command.Parameters.AddWithValue(negotiationId);
        command.Parameters.AddWithValue(trackId);
        command.Parameters.AddWithValue(axes.AsOf ?? DateOnly.MaxValue);
        command.Parameters.AddWithValue(axes.KnownOn ?? DateOnly.MaxValue);
        var claims = new List<Development>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                claims.Add(JsonSerializer.Deserialize<Development>(reader.GetFieldValue<byte[]>(0), RawJson)!);
            }
        }

        return claims;
    }

    public async Task<IReadOnlyList<string>> TrackIdsAsync(string negotiationId, CancellationToken ct)
    {
        await using var command = DataSource.CreateCommand($"SELECT DISTINCT track_id FROM {RawSchema}.track_claims WHERE negotiation_id = $1 ORDER BY 1");
        command.Parameters.AddWithValue(negotiationId);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<(DateOnly First, DateOnly Last, long Count)> TrackSpanAsync(string negotiationId, string? trackId, CancellationToken ct)
    {
        await using var command = DataSource.CreateCommand(
            $"SELECT min(occurred_by), max(occurred_by), count(*) FROM {RawSchema}.track_claims WHERE negotiation_id = $1 AND ($2::text IS NULL OR track_id = $2)");
        command.Parameters.AddWithValue(negotiationId);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)trackId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetFieldValue<DateOnly>(0), reader.GetFieldValue<DateOnly>(1), reader.GetInt64(2));
    }

    // ---- B6 baseline: replay the events table by hand ----------------------------------------------------------

    private static readonly Dictionary<string, Type?> EventTypes = new(StringComparer.Ordinal);

    /// <summary>Pages through the ledger's mt_events by sequence and deserializes every event of a known type.</summary>
    public async IAsyncEnumerable<(long Sequence, Guid EventId, string StreamId, object Data)> ReadEventsAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct, int page = 5_000)
    {
        long after = 0;
        while (true)
        {
            var rows = new List<(long, Guid, string, object)>(page);
            await using (var command = DataSource.CreateCommand(
                $"SELECT seq_id, id, stream_id, mt_dotnet_type, data FROM {LedgerSchema}.mt_events WHERE seq_id > $1 ORDER BY seq_id LIMIT $2"))
            {
                command.Parameters.AddWithValue(after);
                command.Parameters.AddWithValue(page);
                await using var reader = await command.ExecuteReaderAsync(ct);
                var count = 0;
                while (await reader.ReadAsync(ct))
                {
                    count++;
                    after = reader.GetInt64(0);
                    var typeName = reader.GetString(3);
                    if (!EventTypes.TryGetValue(typeName, out var type))
                    {
                        type = EventTypes[typeName] = Type.GetType(typeName);
                    }

                    if (type is null)
                    {
                        continue;
                    }

                    rows.Add((after, reader.GetGuid(1), reader.GetString(2), JsonSerializer.Deserialize(reader.GetFieldValue<byte[]>(4), type, RawJson)!));
                }

                if (count == 0)
                {
                    yield break;
                }
            }

            foreach (var row in rows)
            {
                yield return row;
            }
        }
    }

    /// <summary>Every development in mt_events, in sequence order.</summary>
    public async IAsyncEnumerable<(long Sequence, Guid EventId, string StreamId, Development Development)> ReadDevelopmentsAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (sequence, eventId, streamId, data) in ReadEventsAsync(ct))
        {
            if (data is Development development)
            {
                yield return (sequence, eventId, streamId, development);
            }
        }
    }

    /// <summary>
    /// The physical limit of a full rebuild: one pass over mt_events that derives every read model the ledger stores
    /// (claim rows and timeline rows per development, a source per registration, a negotiation per stream), written by
    /// binary COPY into tables LIKE the ledger's. Returns the developments replayed.
    /// </summary>
    public async Task<long> RawReplayAsync(CancellationToken ct)
    {
        var serializer = Store.Options.Serializer();
        var claimColumns = await ColumnsAsync(RawSchema, "claims_out", ct);
        var timelineColumns = await ColumnsAsync(RawSchema, "timeline_out", ct);
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var truncate = new NpgsqlCommand(
            $"TRUNCATE {RawSchema}.claims_out, {RawSchema}.timeline_out, {RawSchema}.sources_out, {RawSchema}.negotiations_out", connection, tx))
        {
            await truncate.ExecuteNonQueryAsync(ct);
        }

        var claims = new List<(object, string)>();
        var timeline = new List<(object, string)>();
        var sources = new List<(object, string)>();
        var negotiations = new Dictionary<string, Negotiation>(StringComparer.Ordinal);
        var revisions = new Dictionary<string, long>(StringComparer.Ordinal);
        long developments = 0;
        await foreach (var (sequence, eventId, streamId, data) in ReadEventsAsync(ct))
        {
            switch (data)
            {
                case Development d:
                    developments++;
                    var c = d.Claim;
                    claims.Add((c.ClaimId, serializer.ToJson(new ClaimRecord(c.ClaimId, c.NegotiationId, c.TrackId, c.DevelopmentKey, d.Kind, c.Provenance.SourceId,
                        c.Provenance.Quote.Start, c.Provenance.Quote.End, c.Provenance.Occurred.Latest, c.Provenance.Published, d is ReportCorrected or ReportRetracted,
                        streamId, eventId, d))));
                    timeline.Add((c.ClaimId, serializer.ToJson(new TimelineEntry(c.ClaimId, c.NegotiationId, c.TrackId, c.DevelopmentKey, d.Kind, d.Summary,
                        c.Provenance.Occurred.ToString(), c.Provenance.Occurred.Latest, c.Provenance.Published, c.Provenance.SourceId, sequence))));
                    break;
                case SourceRegistered registered:
                    revisions[streamId] = 1;
                    sources.Add((streamId, serializer.ToJson(Source.From(streamId, registered))));
                    break;
                case NegotiationOpened opened:
                    revisions[streamId] = revisions.GetValueOrDefault(streamId) + 1;
                    negotiations[streamId] = negotiations.TryGetValue(streamId, out var existing) ? existing.Apply(opened) : Negotiation.Create(opened);
                    break;
                case PartyRegistered party when negotiations.TryGetValue(streamId, out var n):
                    revisions[streamId]++;
                    negotiations[streamId] = n.Apply(party);
                    break;
                case ActorRegistered actor when negotiations.TryGetValue(streamId, out var n):
                    revisions[streamId]++;
                    negotiations[streamId] = n.Apply(actor);
                    break;
                case TrackOpened track when negotiations.TryGetValue(streamId, out var n):
                    revisions[streamId]++;
                    negotiations[streamId] = n.Apply(track);
                    break;
                case CategoryRegistered category when negotiations.TryGetValue(streamId, out var withCategory):
                    revisions[streamId]++;
                    negotiations[streamId] = withCategory.Apply(category);
                    break;
            }

            if (claims.Count >= 5_000)
            {
                await CopyDocumentsAsync(connection, "claims_out", claimColumns, claims, typeof(ClaimRecord), ct);
                await CopyDocumentsAsync(connection, "timeline_out", timelineColumns, timeline, typeof(TimelineEntry), ct);
                claims.Clear();
                timeline.Clear();
            }
        }

        await CopyDocumentsAsync(connection, "claims_out", claimColumns, claims, typeof(ClaimRecord), ct);
        await CopyDocumentsAsync(connection, "timeline_out", timelineColumns, timeline, typeof(TimelineEntry), ct);
        await CopyDocumentsAsync(connection, "sources_out", await ColumnsAsync(RawSchema, "sources_out", ct), sources, typeof(Source), ct, revisions);
        await CopyDocumentsAsync(connection, "negotiations_out", await ColumnsAsync(RawSchema, "negotiations_out", ct),
            [.. negotiations.Select(n => ((object)n.Key, serializer.ToJson(new NegotiationRegistration(n.Key, n.Value))))], typeof(NegotiationRegistration), ct, revisions);
        await tx.CommitAsync(ct);
        return developments;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
