using System.CommandLine;
using Ledger.Audit;
using Ledger.Cli;
using Ledger.Domain.Recording;
using Ledger.Infrastructure;
using Marten;

namespace Ledger.Recording;

/// <summary>
/// Takes a report the recorder coded by mistake out of the ledger. The withdrawal is itself an event, with who, when
/// and why; what the source said is untouched, and <c>--recorded-at</c> before it still shows the report.
/// </summary>
public static class WithdrawCommand
{
    public static Command Create()
    {
        var claim = new Option<string>("--claim") { Description = "the claim id of the report (status, timeline, audit and import's drift list show it)", Required = true };
        var reason = new Option<string>("--reason") { Description = "why it is withdrawn; kept on the record", Required = true };
        var command = new Command("withdraw", "Withdraw a report coded by mistake; the withdrawal stays on the record.") { claim, reason };
        command.SetAction(async (parse, ct) =>
        {
            if (!Guid.TryParse(parse.GetValue(claim), out var claimId))
            {
                Console.Error.WriteLine($"error: --claim: '{parse.GetValue(claim)}' is not a claim id (a GUID such as 3f2a…)");
                return 2;
            }

            await using var store = await LedgerContext.OpenStoreAsync(ct);
            var (withdrawn, error) = await WithdrawAsync(store, claimId, parse.GetValue(reason) ?? "", $"import:{Environment.UserName}", DateTimeOffset.UtcNow, ct);
            if (error is not null)
            {
                Console.Error.WriteLine($"error: {error}");
                return 1;
            }

            await Projections.CatchUpAsync(store, ct);
            Console.WriteLine($"withdrawn: '{withdrawn!.Withdrawn.Claim.DevelopmentKey}' from '{withdrawn.Withdrawn.Claim.Provenance.SourceId}' (claim {claimId}): {withdrawn.Reason}");
            return 0;
        });
        return command;
    }

    public static async Task<(ReportWithdrawn? Withdrawn, string? Error)> WithdrawAsync(IDocumentStore store, Guid claimId, string reason, string by, DateTimeOffset now, CancellationToken ct)
    {
        // A claim id is unique across the ledger: withdraw it in the database that holds it.
        ClaimRecord? record = null;
        var tenant = Partitioning.Of(store).OneTenantPerDatabase[0];
        foreach (var candidate in Partitioning.Of(store).OneTenantPerDatabase)
        {
            await using var lookup = store.QuerySession(candidate);
            if (await lookup.LoadAsync<ClaimRecord>(claimId, ct) is { } found)
            {
                (record, tenant) = (found, candidate);
                break;
            }
        }

        await using var session = store.LightweightSession(tenant);
        var (withdrawn, error) = Recorder.Withdraw(record is null ? null : new RecordedClaim(record.Development, record.EventId, record.RecordedBy), claimId, reason, new RecordingOptions(by, now));
        if (withdrawn is null)
        {
            return (null, error);
        }

        session.LastModifiedBy = by;
        session.Events.Append(record!.StreamKey, withdrawn);
        await session.SaveChangesAsync(ct);
        return (withdrawn, null);
    }
}
