using Ledger.Import;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Http;

/// <summary>The test server with the repository's own negotiations imported from seeds/ and events/, as `ledger import` does.</summary>
public sealed class SeededServerFixture(PostgresFixture postgres) : LedgerServerFixture(postgres)
{
    public const string Istanbul = "ru-ua-istanbul-2025";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var root = Repository.Root;
        var report = await new Importer(Store, "test-setup").ImportAsync(Path.Combine(root, "seeds"), Path.Combine(root, "events"), root, ct: TestContext.Current.CancellationToken);
        Assert.True(report.Succeeded, string.Join("; ", report.Files.SelectMany(f => f.Errors)));
    }
}
