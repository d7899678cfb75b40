using System.Net;
using Ledger.Infrastructure.Http;
using Microsoft.Extensions.Configuration;

namespace Ledger.Tests.Http;

/// <summary>
/// Keys carry roles (reader, writer, editor, admin), each including the ones before it, and every write is checked
/// against the key's role: a writer revises or withdraws only its own coding, an editor anyone's, and only an admin
/// lists the keys.
/// </summary>
public sealed class KeyRoleTests(LedgerServerFixture server) : IClassFixture<LedgerServerFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private static Dictionary<string, object?> Edited(Dictionary<string, object?> body, string text)
    {
        ((Dictionary<string, object?>[])body["developments"]!)[0]["text"] = text;
        return body;
    }

    private async Task<string> RecordAsAliceAsync(string key)
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var created = await (await alice.PostAsync("/api/developments", Sample.Json(Sample.Proposal(key: key)), _ct)).JsonAsync(HttpStatusCode.Created);
        return created.GetProperty("claims")[0].GetProperty("claimId").GetString()!;
    }

    [Fact]
    public async Task A_writer_revising_another_writers_report_gets_403_naming_the_field_and_who_coded_it_and_an_editor_may()
    {
        await RecordAsAliceAsync("role-revise");
        using var bob = server.Client(LedgerServerFixture.BobKey);
        using var dana = server.Client(LedgerServerFixture.DanaEditorKey);
        var before = await server.EventCountAsync();

        var refused = await (await bob.PostAsync("/api/developments", Sample.Json(Edited(Sample.Proposal(key: "role-revise"), "Bob's reading")), _ct)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(before, await server.EventCountAsync());
        var field = Assert.Single(refused.ErrorFields());
        Assert.EndsWith(".(report)", field, StringComparison.Ordinal);
        Assert.Contains("coded by 'alice'", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("editor role", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var revised = await (await dana.PostAsync("/api/developments", Sample.Json(Edited(Sample.Proposal(key: "role-revise"), "Dana's reading")), _ct)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("revised", revised.GetProperty("claims")[0].GetProperty("outcome").GetString(), ignoreCase: true);
        Assert.Equal("dana", revised.GetProperty("recordedBy").GetString());
    }

    [Fact]
    public async Task A_writer_revises_its_own_report_and_resends_anothers_unchanged()
    {
        await RecordAsAliceAsync("role-own");
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        using var bob = server.Client(LedgerServerFixture.BobKey);

        var revised = await (await alice.PostAsync("/api/developments", Sample.Json(Edited(Sample.Proposal(key: "role-own"), "Alice's second reading")), _ct)).JsonAsync(HttpStatusCode.Created);
        var resent = await (await bob.PostAsync("/api/developments", Sample.Json(Edited(Sample.Proposal(key: "role-own"), "Alice's second reading")), _ct)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("revised", revised.GetProperty("claims")[0].GetProperty("outcome").GetString(), ignoreCase: true);
        Assert.Equal(1, resent.GetProperty("alreadyRecorded").GetInt32());
    }

    [Fact]
    public async Task Withdrawing_another_writers_report_needs_an_editor_and_a_reader_may_not_withdraw_at_all()
    {
        var claimId = await RecordAsAliceAsync("role-withdraw");
        using var bob = server.Client(LedgerServerFixture.BobKey);
        using var carol = server.Client(LedgerServerFixture.CarolReadKey);
        using var erin = server.Client(LedgerServerFixture.ErinAdminKey);
        var reason = Sample.Json(new { reason = "coded from the wrong article" });

        var byBob = await (await bob.PostAsync($"/api/claims/{claimId}/withdrawal", reason, _ct)).ProblemAsync(HttpStatusCode.Forbidden);
        var byCarol = await (await carol.PostAsync($"/api/claims/{claimId}/withdrawal", reason, _ct)).ProblemAsync(HttpStatusCode.Forbidden);
        var noReason = await (await erin.PostAsync($"/api/claims/{claimId}/withdrawal", Sample.Json(new { }), _ct)).ProblemAsync(HttpStatusCode.BadRequest);
        var byErin = await (await erin.PostAsync($"/api/claims/{claimId}/withdrawal", reason, _ct)).JsonAsync(HttpStatusCode.Created);
        var again = await (await erin.PostAsync($"/api/claims/{claimId}/withdrawal", reason, _ct)).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains("coded by 'alice'", byBob.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["claimId"], byBob.ErrorFields());
        Assert.Contains("reader", byCarol.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["reason"], noReason.ErrorFields());
        Assert.Equal(("erin", "coded from the wrong article"), (byErin.GetProperty("withdrawnBy").GetString(), byErin.GetProperty("reason").GetString()));
        Assert.Contains("no report", again.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_writer_withdraws_its_own_report()
    {
        var claimId = await RecordAsAliceAsync("role-withdraw-own");
        using var alice = server.Client(LedgerServerFixture.AliceKey);

        var withdrawn = await (await alice.PostAsync($"/api/claims/{claimId}/withdrawal", Sample.Json(new { reason = "my mistake" }), _ct)).JsonAsync(HttpStatusCode.Created);

        Assert.Equal("alice", withdrawn.GetProperty("withdrawnBy").GetString());
        Assert.True(withdrawn.GetProperty("sequence").GetInt64() > 0);
    }

    [Fact]
    public async Task Only_an_admin_lists_the_keys_by_name_and_role_and_never_their_values()
    {
        using var erin = server.Client(LedgerServerFixture.ErinAdminKey);
        using var dana = server.Client(LedgerServerFixture.DanaEditorKey);
        using var anonymous = server.Client();

        var response = await erin.GetAsync("/api/keys", _ct);
        var body = await response.Content.ReadAsStringAsync(_ct);
        var keys = (await response.JsonAsync(HttpStatusCode.OK)).EnumerateArray().ToDictionary(k => k.GetProperty("name").GetString()!, k => k.GetProperty("role").GetString());
        await (await dana.GetAsync("/api/keys", _ct)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await anonymous.GetAsync("/api/keys", _ct)).ProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal(
            new Dictionary<string, string?> { ["alice"] = "writer", ["bob"] = "writer", ["carol"] = "reader", ["dana"] = "editor", ["erin"] = "admin" },
            keys);
        foreach (var secret in new[] { LedgerServerFixture.AliceKey, LedgerServerFixture.BobKey, LedgerServerFixture.CarolReadKey, LedgerServerFixture.DanaEditorKey, LedgerServerFixture.ErinAdminKey })
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_admin_and_an_editor_key_also_write_and_a_reader_key_does_not()
    {
        using var erin = server.Client(LedgerServerFixture.ErinAdminKey);
        using var dana = server.Client(LedgerServerFixture.DanaEditorKey);
        using var carol = server.Client(LedgerServerFixture.CarolReadKey);

        await (await erin.PostAsync("/api/developments", Sample.Json(Sample.Proposal(key: "role-by-erin")), _ct)).JsonAsync(HttpStatusCode.Created);
        await (await dana.PostAsync("/api/developments", Sample.Json(Sample.Proposal(key: "role-by-dana")), _ct)).JsonAsync(HttpStatusCode.Created);
        var refused = await (await carol.PostAsync("/api/developments", Sample.Json(Sample.Proposal(key: "role-by-carol")), _ct)).ProblemAsync(HttpStatusCode.Forbidden);

        Assert.Contains("reader", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_are_read_from_every_role_section_and_from_LEDGER_API_KEYS_with_an_optional_role_suffix()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ledger:ReadKeys:carol"] = "k-carol",
            ["Ledger:ApiKeys:alice"] = "k-alice",
            ["Ledger:EditorKeys:dana"] = "k-dana",
            ["Ledger:AdminKeys:erin"] = "k-erin",
            ["LEDGER_API_KEYS"] = "bob=k-bob; fay=k-fay:editor ;gus=k:gus:ADMIN;hal=with:colon;ivy=k-ivy:reader",
        }).Build();

        var keys = ApiKeyOptions.From(configuration);

        Assert.Equal(
            [("alice", "writer"), ("bob", "writer"), ("carol", "reader"), ("dana", "editor"), ("erin", "admin"), ("fay", "editor"), ("gus", "admin"), ("hal", "writer"), ("ivy", "reader")],
            keys.Names);
        Assert.Equal(("gus", "admin"), keys.Identify("k:gus"));
        Assert.Equal(("hal", "writer"), keys.Identify("with:colon"));
        Assert.Equal(("fay", "editor"), keys.Identify("k-fay"));
        Assert.Null(keys.Identify("k-fay:editor"));
        Assert.Equal(["reader", "writer", "editor", "admin"], ApiRoles.Implied(ApiRoles.Admin));
        Assert.Equal(["reader", "writer"], ApiRoles.Implied(ApiRoles.Writer));
    }
}
