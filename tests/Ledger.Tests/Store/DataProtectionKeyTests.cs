using Ledger.Infrastructure;
using Ledger.Tests.Infrastructure;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Tests.Store;

public sealed class DataProtectionKeyTests(LedgerDatabase database) : IClassFixture<LedgerDatabase>
{
    [Fact]
    public async Task What_one_node_protects_another_unprotects_with_the_key_ring_kept_in_postgres()
    {
        using var first = Node(database.Store);
        using var second = Node(database.Store);

        var protectedText = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("a webhook secret");
        Assert.Equal("a webhook secret", second.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText));

        await using var session = database.Store.QuerySession();
        var keys = await session.Query<DataProtectionKey>().ToListAsync(TestContext.Current.CancellationToken);
        Assert.Single(keys);
        Assert.Contains("<key ", keys[0].Xml, StringComparison.Ordinal);
    }

    private static ServiceProvider Node(IDocumentStore store)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(store);
        services.AddLedgerDataProtection();
        return services.BuildServiceProvider();
    }
}
