using System.CommandLine;
using JasperFx.Events;
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
        var claim = CommonOptions.Id("--claim", null, "the claim id of the report (status, timeline, audit and import's drift list show it)", "a claim id");
        claim.Required = true;
        var reason = new Option<string>("--reason") { Description = "why it is withdrawn; kept on the record", Required = true };
        var command = new Command("withdraw", "Withdraw a report coded by mistake; the withdrawal stays on the record.") { claim, reason };
        command.SetAction(async (parse, ct) =>
        {
            var claimId = parse.GetValue(claim)!.Value;
            // The command line is the operator: it holds the database's own credentials, so it acts as an editor
            // (it may withdraw any writer's coding) and is recorded as import:<user>, like an import.
            await using var store = await LedgerContext.OpenStoreAsync(ct);
            var (decision, _) = await WithdrawAsync(store, claimId, parse.GetValue(reason) ?? "", new RecordingOptions(Operator, DateTimeOffset.UtcNow), ct);
            if (decision.Error is not null)
            {
                Console.Error.WriteLine($"error: {decision.Error}");
                return ExitCodes.CheckFailed;
            }

            var withdrawn = decision.Withdrawn!;
            await Projections.CatchUpAsync(store, ct);
            Console.WriteLine($"withdrawn: '{withdrawn.Withdrawn.Claim.DevelopmentKey}' from '{withdrawn.Withdrawn.Claim.Provenance.SourceId}' (claim {claimId}): {withdrawn.Reason}");
            return 0;
        });
        return command;
    }

    /// <summary>Who the command line records as the writer: the operator's account.</summary>
    public static string Operator => $"import:{Environment.UserName}";

    /// <summary>A withdrawal as the operator decides it (an editor): the event, or why not.</summary>
    public static async Task<(ReportWithdrawn? Withdrawn, string? Error)> WithdrawAsync(IDocumentStore store, Guid claimId, string reason, string by, DateTimeOffset now, CancellationToken ct)
    {
        var (decision, _) = await WithdrawAsync(store, claimId, reason, new RecordingOptions(by, now), ct);
        return (decision.Withdrawn, decision.Error);
    }

    /// <summary>
    /// Decides and appends a withdrawal, for the command line and the API alike. It takes the same per-track lock as
    /// an append, so a withdrawal and a revision of the same report are decided one after the other, each against
    /// what the other committed. The event's envelope is returned once committed.
    /// </summary>
    public static async Task<(WithdrawalDecision Decision, IEvent? Event)> WithdrawAsync(IDocumentStore store, Guid claimId, string reason, RecordingOptions options, CancellationToken ct)
    {
        // A claim id is unique across the ledger: withdraw it in the database that holds it.
        var tenant = Partitioning.Of(store).OneTenantPerDatabase[0];
        foreach (var candidate in Partitioning.Of(store).OneTenantPerDatabase)
        {
            await using var lookup = store.QuerySession(candidate);
            if (await lookup.LoadAsync<ClaimRecord>(claimId, ct) is not null)
            {
                tenant = candidate;
                break;
            }
        }

        await using var session = store.LightweightSession(tenant);
        var first = await session.LoadAsync<ClaimRecord>(claimId, ct);
        if (first is not null)
        {
            await session.BeginTransactionAsync(ct);
            await session.QueryAsync<int>("select 1 from (select pg_advisory_xact_lock(hashtextextended(?, 0))) as locked", ct, first.StreamKey);
        }

        // Read again under the lock: a withdrawal or revision committed meanwhile is what this one is decided against.
        var record = first is null ? null : await session.LoadAsync<ClaimRecord>(claimId, ct);
        var decision = Recorder.DecideWithdrawal(record is null ? null : new RecordedClaim(record.Development, record.EventId, record.RecordedBy), claimId, reason, options);
        if (decision.Withdrawn is null)
        {
            return (decision, null);
        }

        session.LastModifiedBy = options.RecordedBy;
        var action = session.Events.Append(record!.StreamKey, decision.Withdrawn);
        await session.SaveChangesAsync(ct);
        return (decision, action.Events[^1]);
    }
}
