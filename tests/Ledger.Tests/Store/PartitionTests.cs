using Ledger.Audit;
using Ledger.Domain.Tracks;
using Ledger.Import;
using Ledger.Infrastructure;
using Ledger.Tests.Corpus;
using Ledger.Tests.Infrastructure;
using Ledger.Tracks;
using Marten;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Ledger.Tests.Store;

/// <summary>
/// Negotiations are the unit of partitioning: the repository's corpus imported into a ledger whose Gaza negotiation
/// lives on a second PostgreSQL server reads exactly as the same corpus on one server, and each server holds only
/// its own negotiation's events.
/// </summary>
public sealed class PartitionTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Istanbul = "ru-ua-istanbul-2025";
    private const string Gaza = GazaCorpus.Negotiation;

    private ThrowawayCluster _east = null!;
    private DocumentStore _partitioned = null!;
    private DocumentStore _single = null!;
    private string _schema = "";

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _east = await ThrowawayCluster.StartAsync("east", ct);
        _schema = postgres.NewSchemaName(nameof(PartitionTests));
        var partitioning = Partitioning.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ledger:Databases:east:Connection"] = _east.ConnectionString,
            ["Ledger:Databases:east:Negotiations"] = Gaza,
        }).Build());
        _partitioned = DocumentStore.For(o => o.ConfigureLedger(postgres.ConnectionString, _schema, partitioning: partitioning));
        _single = DocumentStore.For(o => o.ConfigureLedger(postgres.ConnectionString, postgres.NewSchemaName("partition_reference")));
    }

    public async ValueTask DisposeAsync()
    {
        await _partitioned.DisposeAsync();
        await _single.DisposeAsync();
        await _east.DisposeAsync();
    }

    private static Task<ImportReport> ImportCorpusAsync(IDocumentStore store) =>
        new Importer(store, "test").ImportAsync(
            Path.Combine(Repository.Root, "seeds"), Path.Combine(Repository.Root, "events"), Repository.Root, ct: TestContext.Current.CancellationToken);

    private static async Task<string> ReportAsync(IDocumentStore store, string negotiation, params DateOnly[] dates)
    {
        await using var session = store.QuerySessionFor(negotiation);
        var columns = new List<NegotiationStatus>();
        foreach (var date in dates)
        {
            columns.Add(await TrackQueries.StatusAsync(session, negotiation, null, new TimeAxes(AsOf: date), null, TestContext.Current.CancellationToken));
        }

        return MarkdownReport.Render(columns);
    }

    private static async Task<long> EventsOfAsync(string connectionString, string schema, string negotiation)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var exists = new NpgsqlCommand("select to_regclass(@table) is not null", connection);
        exists.Parameters.AddWithValue("table", $"{schema}.mt_events");
        if (!(bool)(await exists.ExecuteScalarAsync(TestContext.Current.CancellationToken))!)
        {
            return 0;
        }

        await using var count = new NpgsqlCommand($"select count(*) from {schema}.mt_events where stream_id like @prefix", connection);
        count.Parameters.AddWithValue("prefix", $"%{negotiation}%");
        return (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    [Fact]
    public async Task Each_negotiation_lives_in_its_own_database_and_reads_as_on_one_database()
    {
        var ct = TestContext.Current.CancellationToken;
        var partitioned = await ImportCorpusAsync(_partitioned);
        Assert.True(partitioned.Succeeded, string.Join("; ", partitioned.Files.SelectMany(f => f.Errors)));
        var single = await ImportCorpusAsync(_single);
        Assert.True(single.Succeeded);
        Assert.Equal(single.Appended, partitioned.Appended);

        // Where the events are: Gaza's on the second server only, Istanbul's on the main one only.
        Assert.True(await EventsOfAsync(_east.ConnectionString, _schema, Gaza) > 0);
        Assert.Equal(0, await EventsOfAsync(_east.ConnectionString, _schema, Istanbul));
        Assert.True(await EventsOfAsync(postgres.ConnectionString, _schema, Istanbul) > 0);
        Assert.Equal(0, await EventsOfAsync(postgres.ConnectionString, _schema, Gaza));

        // What reads show: the same as the one-database ledger.
        Assert.Equal([Gaza, Istanbul], (await TrackQueries.NegotiationsAsync(_partitioned, ct)).Select(n => n.Id));
        Assert.Equal(await ReportAsync(_single, Gaza, new DateOnly(2025, 10, 10), new DateOnly(2025, 10, 20)), await ReportAsync(_partitioned, Gaza, new DateOnly(2025, 10, 10), new DateOnly(2025, 10, 20)));
        Assert.Equal(await ReportAsync(_single, Istanbul, new DateOnly(2025, 7, 24)), await ReportAsync(_partitioned, Istanbul, new DateOnly(2025, 7, 24)));

        // A claim is found by its id wherever it lives, and sources are cited from both servers.
        await using (var east = _partitioned.QuerySessionFor(Gaza))
        {
            var gazaClaim = await east.Query<ClaimRecord>().FirstAsync(ct);
            var audited = await AuditQueries.ClaimAsync(_partitioned, gazaClaim.Id, ct);
            Assert.Equal(gazaClaim.DevelopmentKey, audited.DevelopmentKey);
        }

        var sources = await Ledger.Sources.SourceQueries.AllAsync(_partitioned, ct);
        var reference = await Ledger.Sources.SourceQueries.AllAsync(_single.QuerySession(), ct);
        Assert.Equal(reference.Select(s => (s.Id, s.Citations.Count)), sources.Select(s => (s.Id, s.Citations.Count)));

        // Importing again appends nothing anywhere.
        var again = await ImportCorpusAsync(_partitioned);
        Assert.Equal(0, again.Appended);
    }
}
