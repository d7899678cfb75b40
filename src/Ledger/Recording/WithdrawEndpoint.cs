using Ledger.Domain.Recording;
using Ledger.Import;
using Ledger.Infrastructure.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Recording;

/// <summary>What a withdrawal recorded: the report taken out, by whom and why, and the event that says so.</summary>
public sealed record WithdrawalResult(Guid ClaimId, string DevelopmentKey, string TrackId, string SourceId, string WithdrawnBy, string Reason, Guid EventId, long Sequence, long StreamVersion);

[Tags("Recording")]
public static class WithdrawEndpoint
{
    private static readonly HashSet<string> Fields = ["reason"];

    /// <summary>
    /// Withdraws a report coded by mistake (body <c>reason: …</c>). The withdrawal is itself an event; what the
    /// source said is untouched. A writer withdraws only its own coding; another writer's needs an editor's key (403).
    /// </summary>
    [WolverinePost("/api/claims/{claimId}/withdrawal", OperationId = "withdrawReport", Summary = "Withdraw a report coded by mistake")]
    [ProducesResponseType<WithdrawalResult>(201, "application/json")]
    public static async Task<IResult> Withdraw(string claimId, HttpContext context, IDocumentStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(claimId, out var id))
        {
            return Problems.Field("claimId", $"'{claimId}' is not a claim id (a GUID such as 3f2a…)");
        }

        var (text, tooBig) = await RequestBody.ReadAsync(context, ct);
        if (tooBig is not null)
        {
            return tooBig;
        }

        var errors = new List<InputError>();
        var fields = YamlDocument.Load("body", text, errors);
        if (fields is null)
        {
            return Problems.Validation(errors);
        }

        fields.RejectUnknown(Fields);
        var reason = fields.Required("reason");
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var options = RecordingEndpoints.OptionsFor(context.User, DateTimeOffset.UtcNow);
        var (decision, e) = await WithdrawCommand.WithdrawAsync(store, id, reason, options, ct);
        return decision.Refusal switch
        {
            WithdrawalRefusal.None => JsonResults.Ok(
                new WithdrawalResult(id, decision.Withdrawn!.Withdrawn.Claim.DevelopmentKey, decision.Withdrawn.Withdrawn.Claim.TrackId, decision.Withdrawn.Withdrawn.Claim.Provenance.SourceId, options.RecordedBy, reason, e!.Id, e.Sequence, e.Version),
                StatusCodes.Status201Created),
            WithdrawalRefusal.NotRecorded => Problems.NotFound(decision.Error!),
            WithdrawalRefusal.NeedsEditor => Problems.Of(StatusCodes.Status403Forbidden, "Forbidden", decision.Error!, [new FieldError("claimId", decision.Error!)]),
            _ => Problems.Field("reason", decision.Error!),
        };
    }
}
