using System.Net;
using Ledger.Domain.Negotiations;
using Ledger.Infrastructure;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Http;

/// <summary>
/// The server keeps negotiation registries and sources in memory between appends. Another node (here: a write to the
/// store that does not go through this server) may change a registry meanwhile; the next append must be decided
/// against the registry as it is then, neither refusing what is now registered nor accepting what no longer is.
/// </summary>
public sealed class RegistryCacheTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task RegisterElsewhereAsync(params object[] events)
    {
        await using var session = server.Store.LightweightSession();
        session.Events.Append(StreamKeys.Negotiation(LedgerServerFixture.Negotiation), events);
        await session.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task A_party_and_a_track_registered_by_another_node_are_known_to_the_next_append()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var warm = await alice.PostAsync("/api/developments", Sample.Json(Sample.Position("north", "North said a truce must come first", "2025-03-03", "wire-0303", key: "cache-warm")), Ct);
        await warm.JsonAsync(HttpStatusCode.Created);

        await RegisterElsewhereAsync(
            new PartyRegistered(LedgerServerFixture.Negotiation, "east", "East", "party"),
            new TrackOpened(LedgerServerFixture.Negotiation, "fisheries", "Fisheries", null));

        var body = Sample.Position("east", "South said it would consider the offer", "2025-03-03", "wire-0303", key: "east-on-fish");
        var development = ((Dictionary<string, object?>[])body["developments"]!)[0];
        development["track"] = "fisheries";
        body["expected-versions"] = new Dictionary<string, object?> { ["fisheries"] = 0 };
        var appended = await (await alice.PostAsync("/api/developments", Sample.Json(body), Ct)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(1, appended.GetProperty("appended").GetInt32());
        Assert.Equal(1, appended.GetProperty("streams")[0].GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task An_alias_withdrawn_by_another_node_is_refused_on_the_next_append()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        await RegisterElsewhereAsync(new ActorRegistered(LedgerServerFixture.Negotiation, "reyes", "Luis Reyes", "south", "envoy", ["The Envoy"]));

        var first = Sample.Proposal(key: "envoy-1");
        ((Dictionary<string, object?>[])first["developments"]!)[0]["said-by"] = "The Envoy";
        await (await alice.PostAsync("/api/developments", Sample.Json(first), Ct)).JsonAsync(HttpStatusCode.Created);

        // The same actor again, without the alias: a registry remembered from the first append would still know it.
        await RegisterElsewhereAsync(new ActorRegistered(LedgerServerFixture.Negotiation, "reyes", "Luis Reyes", "south", "envoy", []));

        var second = Sample.Proposal(key: "envoy-2", quote: "South said it would consider the offer");
        ((Dictionary<string, object?>[])second["developments"]!)[0]["said-by"] = "The Envoy";
        var refused = await alice.PostAsync("/api/developments", Sample.Json(second), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("unknown actor", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
