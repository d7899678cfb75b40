using Ledger.Infrastructure;
using System.Globalization;
using System.Security.Cryptography;
using Ledger.Domain.Recording;
using Ledger.Import;
using Ledger.Infrastructure.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Subscriptions;

public sealed record WebhookRegistered(Guid Id, string Url, string? NegotiationId, string? TrackId, string Secret, string RegisteredBy, string SignatureHeader, string Signature, string IdempotencyHeader);

/// <summary>What a resend did: the deliveries put back in the queue.</summary>
public sealed record WebhookResent(Guid WebhookId, IReadOnlyList<long> Sequences);

/// <summary>
/// Webhooks: <c>POST /api/webhooks</c> registers a URL with an optional negotiation and track filter and answers
/// with the secret that signs each delivery (shown this once); <c>GET /api/webhooks/{id}/deliveries</c> shows every
/// delivery and its attempts, <c>?status=dead-lettered</c> those that gave up, which
/// <c>POST /api/webhooks/{id}/deliveries/{sequence}/resend</c> (or <c>.../deliveries/resend</c> for all) sends again.
/// A webhook belongs to the key that registered it: other keys see no such webhook, an admin's key sees all.
/// </summary>
[Tags("Webhooks")]
public static class WebhookEndpoints
{
    private static readonly HashSet<string> Fields = ["url", "negotiation", "track"];

    [WolverinePost("/api/webhooks", OperationId = "registerWebhook", Summary = "Register a webhook")]
    [ProducesResponseType<WebhookRegistered>(201, "application/json")]
    [ProducesResponseType<ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(401, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(403, "application/problem+json")]
    public static async Task<IResult> Register(HttpContext context, IDocumentStore store, WebhookSender sender, WebhookTargets targets, CancellationToken ct)
    {
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
        var url = fields.Required("url");
        if (url.Length > 0)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo))
            {
                fields.Error("url", $"'{url}' is not an absolute http or https URL (without user information)", fields.NodeOf("url"));
            }
            else if (await targets.RefusalAsync(uri, ct) is { } refusal)
            {
                fields.Error("url", refusal, fields.NodeOf("url"));
            }
        }

        var negotiation = fields.Optional("negotiation");
        var track = fields.Optional("track");
        if (negotiation is null && Partitioning.Of(store).IsPartitioned)
        {
            // A delivery is known by its webhook and the development's sequence, and each database numbers its own.
            fields.Error("negotiation", "is required: this ledger is partitioned over several databases, and a webhook follows one negotiation");
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var hook = new Webhook(Guid.NewGuid(), url, negotiation, track, sender.Protect(secret), OwnerOf(context), DateTimeOffset.UtcNow);
        await using var session = store.LightweightSession();
        session.Store(hook);
        await session.SaveChangesAsync(ct);
        return JsonResults.Ok(
            new WebhookRegistered(hook.Id, hook.Url, hook.NegotiationId, hook.TrackId, secret, hook.RegisteredBy, WebhookSettings.SignatureHeader, "sha256=<hex HMAC-SHA256 of the body under the secret>", WebhookSettings.IdempotencyHeader),
            StatusCodes.Status201Created);
    }

    [WolverineGet("/api/webhooks", OperationId = "listWebhooks", Summary = "List your webhooks (an admin's key: everyone's)")]
    [ProducesResponseType<IReadOnlyList<WebhookView>>(200, "application/json")]
    [ProducesResponseType<ProblemDetails>(401, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(403, "application/problem+json")]
    public static async Task<IResult> List(HttpContext context, IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var hooks = await session.Query<Webhook>().ToListAsync(ct);
        return JsonResults.Ok(hooks.Where(h => CanSee(context, h)).OrderBy(h => h.RegisteredAt).Select(WebhookView.Of).ToList());
    }

    [WolverineGet("/api/webhooks/{id}/deliveries", OperationId = "webhookDeliveries", Summary = "List a webhook's deliveries and their attempts; ?status=pending|delivered|dead-lettered")]
    [ProducesResponseType<IReadOnlyList<WebhookDelivery>>(200, "application/json")]
    [ProducesResponseType<ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(401, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(403, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Deliveries(string id, HttpContext context, IDocumentStore store, CancellationToken ct)
    {
        DeliveryStatus? status = null;
        var statusText = context.Request.Query["status"].ToString();
        if (statusText.Length > 0)
        {
            status = statusText switch
            {
                "pending" => DeliveryStatus.Pending,
                "delivered" => DeliveryStatus.Delivered,
                "dead-lettered" => DeliveryStatus.DeadLettered,
                _ => null,
            };
            if (status is null)
            {
                return Problems.Field("status", $"'{statusText}' is not a delivery status (pending, delivered or dead-lettered)");
            }
        }

        await using var session = store.QuerySession();
        var (hook, problem) = await FindAsync(id, context, session, ct);
        if (hook is null)
        {
            return problem!;
        }

        return JsonResults.Ok(await WebhookDeadLetters.DeliveriesAsync(session, hook.Id, status, ct));
    }

    [WolverinePost("/api/webhooks/{id}/deliveries/{sequence}/resend", OperationId = "resendWebhookDelivery", Summary = "Send a dead-lettered delivery again")]
    [ProducesResponseType<WebhookResent>(202, "application/json")]
    [ProducesResponseType<ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(401, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(403, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(404, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(409, "application/problem+json")]
    public static async Task<IResult> Resend(string id, string sequence, HttpContext context, IDocumentStore store, CancellationToken ct)
    {
        if (!long.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return Problems.Field("sequence", $"'{sequence}' is not a sequence number");
        }

        return await ResendAsync(id, number, context, store, ct);
    }

    [WolverinePost("/api/webhooks/{id}/deliveries/resend", OperationId = "resendWebhookDeadLetters", Summary = "Send every dead-lettered delivery of a webhook again")]
    [ProducesResponseType<WebhookResent>(202, "application/json")]
    [ProducesResponseType<ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(401, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(403, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(404, "application/problem+json")]
    public static Task<IResult> ResendAll(string id, HttpContext context, IDocumentStore store, CancellationToken ct) =>
        ResendAsync(id, null, context, store, ct);

    [WolverineDelete("/api/webhooks/{id}", OperationId = "unregisterWebhook", Summary = "Unregister a webhook")]
    [ProducesResponseType(204)]
    [ProducesResponseType<ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(401, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(403, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Unregister(string id, HttpContext context, IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var (hook, problem) = await FindAsync(id, context, session, ct);
        if (hook is null)
        {
            return problem!;
        }

        session.Delete<Webhook>(hook.Id);
        session.DeleteWhere<WebhookDelivery>(d => d.WebhookId == hook.Id);
        await session.SaveChangesAsync(ct);
        return Results.NoContent();
    }

    private static async Task<IResult> ResendAsync(string id, long? sequence, HttpContext context, IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var (hook, problem) = await FindAsync(id, context, session, ct);
        if (hook is null)
        {
            return problem!;
        }

        if (sequence is { } one)
        {
            var delivery = await session.LoadAsync<WebhookDelivery>(WebhookDelivery.KeyOf(hook.Id, one), ct);
            if (delivery is null)
            {
                return Problems.NotFound($"Webhook {hook.Id} has no delivery #{one}.");
            }

            if (delivery.Status != DeliveryStatus.DeadLettered)
            {
                return Problems.Conflict($"Delivery #{one} of webhook {hook.Id} is {(delivery.Status == DeliveryStatus.Pending ? "pending" : "delivered")}; only a dead-lettered delivery is resent.");
            }
        }

        var resent = await WebhookDeadLetters.ResendAsync(session, hook.Id, sequence, ct);
        return JsonResults.Ok(new WebhookResent(hook.Id, resent), StatusCodes.Status202Accepted);
    }

    /// <summary>The webhook, if it exists and the caller may see it; otherwise the problem to answer (the same 404 either way).</summary>
    private static async Task<(Webhook? Hook, IResult? Problem)> FindAsync(string id, HttpContext context, IQuerySession session, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var hookId))
        {
            return (null, Problems.Field("id", $"'{id}' is not a webhook id"));
        }

        var hook = await session.LoadAsync<Webhook>(hookId, ct);
        return hook is not null && CanSee(context, hook) ? (hook, null) : (null, Problems.NotFound($"No webhook {id}."));
    }

    private static string OwnerOf(HttpContext context) => context.User.Identity?.Name ?? "anonymous";

    private static bool CanSee(HttpContext context, Webhook hook) =>
        context.User.IsInRole(ApiRoles.Admin) || string.Equals(hook.RegisteredBy, OwnerOf(context), StringComparison.Ordinal);
}
