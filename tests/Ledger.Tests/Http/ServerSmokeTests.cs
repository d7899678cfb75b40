using System.Net;

namespace Ledger.Tests.Http;

public sealed class ServerSmokeTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>
{
    [Fact]
    public async Task Negotiations_are_listed()
    {
        using var client = server.Client();
        var response = await client.GetAsync("/api/negotiations", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("harbour-talks", body, StringComparison.Ordinal);
    }
}
