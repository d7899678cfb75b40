using Ledger.Import;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Corpus;

/// <summary>The repository's own seeds/ and events/, imported into a fresh schema, read for the Gaza ceasefire of October 2025.</summary>
public sealed class GazaCorpus(PostgresFixture postgres) : LedgerDatabase(postgres)
{
    public const string Negotiation = "gaza-ceasefire-2025";

    public ImportReport Import { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Import = await ImportAsync(Repository.Root);
    }
}
