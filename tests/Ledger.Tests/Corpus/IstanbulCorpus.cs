using Ledger.Import;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Corpus;

/// <summary>The repository's own seeds/ and events/ (the Istanbul talks), imported into a fresh schema.</summary>
public sealed class IstanbulCorpus(PostgresFixture postgres) : LedgerDatabase(postgres)
{
    public const string Negotiation = "ru-ua-istanbul-2025";

    public ImportReport Import { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Import = await ImportAsync(Repository.Root);
    }
}
