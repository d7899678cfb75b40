using Ledger.Audit;
using Ledger.Domain.Developments;
using Ledger.Import;
using Ledger.Infrastructure;
using Ledger.Negotiations;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Store;

/// <summary>Roles in time through the store: registered from negotiation.yaml, resolved and flagged on import, shown by the audit.</summary>
public class RoleImportTests(PostgresFixture postgres)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private sealed class Fresh(PostgresFixture postgres) : LedgerDatabase(postgres);

    private const string Roles = """
            roles:
              - { role: head-of-delegation, title: Head of the North delegation, from: 2025-03-01, source: alpha-wire-0302 }
              - { role: deputy-minister, title: Deputy Minister, from: 2024-01, to: 2025-02-15, source: alpha-wire-0302 }
        """;

    private const string Reports = """
        negotiation: sample-talks
        developments:
          - key: berg-by-role
            track: ceasefire
            kind: statement-made
            occurred: 2025-03-01
            by: north
            said-by-role: head-of-delegation
            said-by-party: north
            text: North insists on a full ceasefire
            reports:
              - source: alpha-wire-0302
                quote: Anna Berg said North insists on a full ceasefire.
          - key: berg-deadline
            track: ceasefire
            kind: statement-made
            occurred: 2025-03-01
            by: north
            said-by: Berg
            role-as-given: Deputy Minister
            text: A deadline of 15 March
            reports:
              - source: alpha-wire-0302
                quote: North set a deadline of 15 March for an answer on the ceasefire.
        """;

    [Fact]
    public async Task Roles_import_with_their_actor_and_a_report_by_role_is_resolved_and_a_conflict_flagged_in_the_audit()
    {
        await using var ledger = new Fresh(postgres);
        await ledger.InitializeAsync();
        var root = LedgerDatabase.CopySample();
        var negotiationFile = Path.Combine(root, "events", "sample-talks", NegotiationFile.FileName);
        var registration = await File.ReadAllTextAsync(negotiationFile, _ct);
        const string berg = "    aliases: [A. Berg, Berg]\n";
        Assert.Contains(berg, registration, StringComparison.Ordinal);
        await File.WriteAllTextAsync(negotiationFile, registration.Replace(berg, berg + Roles + "\n", StringComparison.Ordinal), _ct);
        await File.WriteAllTextAsync(Path.Combine(root, "events", "sample-talks", "03-roles.yaml"), Reports, _ct);

        var report = await ledger.ImportAsync(root);

        Assert.True(report.Succeeded, string.Join("\n", report.Files.SelectMany(f => f.Errors)));
        await using var session = ledger.Store.QuerySession();
        var negotiation = (await session.LoadAsync<NegotiationRegistration>(StreamKeys.Negotiation("sample-talks"), _ct))!.Negotiation;
        Assert.Equal(["deputy-minister", "head-of-delegation"], negotiation.Roles.Select(r => r.Role).Order());
        Assert.All(negotiation.Roles, r => Assert.Equal(("berg", "north"), (r.ActorId, r.PartyId)));

        var byRole = await AuditQueries.ClaimAsync(session, Claim.IdFor("sample-talks", "berg-by-role", "alpha-wire-0302", "Anna Berg said North insists on a full ceasefire."), _ct);
        Assert.Equal("berg", byRole.SaidBy!.ResolvedActor);
        Assert.Null(byRole.SaidBy.AsNamed);
        Assert.Contains(AuditCommand.RoleLines(byRole.SaidBy), l => l.Text.StartsWith("resolved by the ledger: berg, from role head-of-delegation of north on 2025-03-01", StringComparison.Ordinal));

        var conflict = await AuditQueries.ClaimAsync(session, Claim.IdFor("sample-talks", "berg-deadline", "alpha-wire-0302", "North set a deadline of 15 March for an answer on the ceasefire."), _ct);
        Assert.Equal("berg", conflict.SaidBy!.Actor);
        Assert.Contains("\"Deputy Minister\"", conflict.SaidBy.RoleConflict, StringComparison.Ordinal);
        Assert.Contains("deputy-minister from 2024-01 to 2025-02-15 per alpha-wire-0302, not on 2025-03-01", conflict.SaidBy.RoleConflict, StringComparison.Ordinal);
        Assert.Contains(AuditCommand.RoleLines(conflict.SaidBy), l => l.Label == "role conflict");
        Assert.Contains("\"resolvedActor\":\"berg\"", Json.Serialize(byRole).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var before = await ledger.EventCountAsync();
        var again = await ledger.ImportAsync(root);
        Assert.Equal(0, again.Appended);
        Assert.Equal(before, await ledger.EventCountAsync());

        // A later registration changes the ledger's reading, not the source's words: recorded as a revision.
        var edited = await File.ReadAllTextAsync(negotiationFile, _ct);
        await File.WriteAllTextAsync(negotiationFile, edited.Replace("to: 2025-02-15", "to: 2025-03-31", StringComparison.Ordinal), _ct);
        var later = await ledger.ImportAsync(root);
        Assert.True(later.Succeeded, string.Join("\n", later.Files.SelectMany(f => f.Errors)));
        var revised = Assert.Single(later.Files.SelectMany(f => f.Revised));
        Assert.Equal(conflict.ClaimId, revised.ClaimId);
        Assert.Contains(revised.Changes, c => c.Field.EndsWith("roleConflict", StringComparison.Ordinal) && c.After is null);
    }
}
