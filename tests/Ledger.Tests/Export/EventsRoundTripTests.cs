using Ledger.Audit;
using Ledger.Export;
using Ledger.Import;
using Ledger.Infrastructure;
using Ledger.Negotiations;
using Ledger.Tests.Corpus;
using Ledger.Tests.Infrastructure;
using Marten;

namespace Ledger.Tests.Export;

/// <summary>The repository's seeds/ and events/ imported, exported as files, and the export imported into a second, empty ledger.</summary>
public sealed class ExportedCorpus(PostgresFixture postgres) : IAsyncLifetime
{
    private sealed class Original(PostgresFixture postgres) : LedgerDatabase(postgres);

    private sealed class Reimported(PostgresFixture postgres) : LedgerDatabase(postgres);

    public LedgerDatabase Source { get; } = new Original(postgres);

    public LedgerDatabase Copy { get; } = new Reimported(postgres);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "ledger-export-" + Guid.NewGuid().ToString("N")[..8]);

    public ImportReport FirstImport { get; private set; } = null!;

    public ImportReport ImportOfExport { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Source.InitializeAsync();
        await Copy.InitializeAsync();
        FirstImport = await Source.ImportAsync(Repository.Root);
        await ExportCommand.WriteEventFilesAsync(Source.Store, null, Path.Combine(Folder, "events"), Path.Combine(Folder, "seeds"), CancellationToken.None);
        ImportOfExport = await Copy.ImportAsync(Folder);
    }

    public async ValueTask DisposeAsync()
    {
        await Source.DisposeAsync();
        await Copy.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}

public sealed class EventsRoundTripTests(ExportedCorpus corpus) : IClassFixture<ExportedCorpus>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_export_of_the_corpus_imports_without_an_error()
    {
        Assert.True(corpus.FirstImport.Succeeded, string.Join("\n", corpus.FirstImport.Files.SelectMany(f => f.Errors)));
        Assert.True(corpus.ImportOfExport.Succeeded, string.Join("\n", corpus.ImportOfExport.Files.SelectMany(f => f.Errors)));
        Assert.Empty(corpus.ImportOfExport.Files.SelectMany(f => f.Revised));
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(corpus.Folder, "events")).Length);
        Assert.True(await ClaimCountAsync(corpus.Source.Store) > 300, "the corpus holds hundreds of claims");
    }

    [Fact]
    public async Task Every_claim_comes_back_with_the_same_id_and_the_same_content()
    {
        var original = await ClaimsAsync(corpus.Source.Store);
        var copy = await ClaimsAsync(corpus.Copy.Store);

        Assert.Equal(original.Keys.Order(), copy.Keys.Order());
        foreach (var (id, before) in original)
        {
            var after = copy[id];
            var (b, a) = (before.Development.Claim, after.Development.Claim);
            Assert.Equal(before.Kind, after.Kind);
            Assert.Equal(before.TrackId, after.TrackId);
            Assert.Equal(before.DevelopmentKey, after.DevelopmentKey);
            Assert.Equal(b.Provenance.Quote, a.Provenance.Quote);
            Assert.Equal(b.Provenance.SourceId, a.Provenance.SourceId);
            Assert.Equal(b.Provenance.Occurred, a.Provenance.Occurred);
            Assert.Equal(b.Provenance.Published, a.Provenance.Published);
            Assert.Equal(b.Provenance.SaidBy, a.Provenance.SaidBy);
            Assert.Equal(before.TransferCounts, after.TransferCounts);
            Assert.Equal(b.AlsoTracks, a.AlsoTracks);
            Assert.Equal(b.Note, a.Note);
            // Everything else the claim says, kind by kind (quantities, parties, references): the event as stored.
            Assert.Equal(Json.Serialize(before.Development), Json.Serialize(after.Development));
        }
    }

    [Fact]
    public async Task The_registrations_come_back_the_same()
    {
        var original = await RegistrationsAsync(corpus.Source.Store);
        var copy = await RegistrationsAsync(corpus.Copy.Store);

        Assert.Equal(original.Count, copy.Count);
        Assert.Equal(original.Select(r => Json.Serialize(r.Negotiation)), copy.Select(r => Json.Serialize(r.Negotiation)));
    }

    [Fact]
    public async Task Imprecise_dates_keep_their_precision()
    {
        var copy = await ClaimsAsync(corpus.Copy.Store);
        var precisions = copy.Values.Select(c => c.Development.Claim.Provenance.Occurred.Precision).Distinct().ToList();

        Assert.True(precisions.Count >= 3, $"the corpus dates by day, month and 'by'/'before'; the copy has only {string.Join(", ", precisions)}");
    }

    private static async Task<int> ClaimCountAsync(DocumentStore store)
    {
        await using var session = store.QuerySession();
        return await session.Query<ClaimRecord>().CountAsync(Ct);
    }

    private static async Task<Dictionary<Guid, ClaimRecord>> ClaimsAsync(DocumentStore store)
    {
        await using var session = store.QuerySession();
        return (await session.Query<ClaimRecord>().ToListAsync(Ct)).ToDictionary(c => c.Id);
    }

    private static async Task<List<NegotiationRegistration>> RegistrationsAsync(DocumentStore store)
    {
        await using var session = store.QuerySession();
        return [.. (await session.Query<NegotiationRegistration>().ToListAsync(Ct)).OrderBy(r => r.Id, StringComparer.Ordinal)];
    }
}
