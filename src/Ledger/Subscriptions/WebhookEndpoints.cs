using Ledger.Domain.Recording;
using System.Security.Cryptography;
using Ledger.Recording;
using Ledger.Infrastructure.Http;
using Ledger.Import;
using Marten;
using Wolverine.Http;

using Microsoft.AspNetCore.Mvc;
namespace Ledger.Subscriptions;

public sealed record WebhookRegistered(Guid Id, string Url, string? NegotiationId, string? TrackId, string Secret, string RegisteredBy, string SignatureHeader, string Signature);

/// <summary>
/// Webhooks: <c>POST /api/webhooks</c> registers a URL with an optional negotiation and track filter and answers
/// with the secret that signs each delivery; <c>GET /api/webhooks/{id}/deliveries</c> shows every delivery and its
/// attempts, dead-lettered ones included. All of it needs a writer's key.
/// </summary>
[Tags("Subscriptions")]
public static class WebhookEndpoints
{
    private static readonly HashSet<string> Fields = ["url", "negotiation", "track"];

    [WolverinePost("/api/webhooks", OperationId = "registerWebhook", Summary = "Register a webhook")]
    [ProducesResponseType<WebhookRegistered>(201, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(401, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(403, "application/problem+json")]
    public static async Task<IResult> Register(HttpContext context, IDocumentStore store, CancellationToken ct)
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
        if (url.Length > 0 && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            fields.Error("url", $"'{url}' is not an absolute http or https URL", fields.NodeOf("url"));
        }

        var negotiation = fields.Optional("negotiation");
        var track = fields.Optional("track");
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var hook = new Webhook(Guid.NewGuid(), url, negotiation, track, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), context.User.Identity?.Name ?? "anonymous", DateTimeOffset.UtcNow);
        await using var session = store.LightweightSession();
        session.Store(hook);
        await session.SaveChangesAsync(ct);
        return JsonResults.Ok(
            new WebhookRegistered(hook.Id, hook.Url, hook.NegotiationId, hook.TrackId, hook.Secret, hook.RegisteredBy, WebhookSettings.SignatureHeader, "sha256=<hex HMAC-SHA256 of the body under the secret>"),
            StatusCodes.Status201Created);
    }

    [WolverineGet("/api/webhooks", OperationId = "listWebhooks", Summary = "List the webhooks")]
    [ProducesResponseType<IReadOnlyList<WebhookView>>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(401, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(403, "application/problem+json")]
    public static async Task<IResult> List(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var hooks = await session.Query<Webhook>().ToListAsync(ct);
        return JsonResults.Ok(hooks.OrderBy(h => h.RegisteredAt).Select(WebhookView.Of).ToList());
    }

    [WolverineGet("/api/webhooks/{id}/deliveries", OperationId = "webhookDeliveries", Summary = "List a webhook's deliveries and their attempts")]
    [ProducesResponseType<IReadOnlyList<WebhookDelivery>>(200, "application/json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(401, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(403, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Deliveries(string id, IDocumentStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var hookId))
        {
            return Problems.Field("id", $"'{id}' is not a webhook id");
        }

        await using var session = store.QuerySession();
        if (await session.LoadAsync<Webhook>(hookId, ct) is null)
        {
            return Problems.NotFound($"No webhook {id}.");
        }

        var deliveries = await session.Query<WebhookDelivery>().Where(d => d.WebhookId == hookId).ToListAsync(ct);
        return JsonResults.Ok(deliveries.OrderBy(d => d.Sequence).ToList());
    }

    [WolverineDelete("/api/webhooks/{id}", OperationId = "unregisterWebhook", Summary = "Unregister a webhook")]
    [ProducesResponseType(204)]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(401, "application/problem+json")]
    [ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(403, "application/problem+json")]
    public static async Task<IResult> Unregister(string id, IDocumentStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var hookId))
        {
            return Problems.Field("id", $"'{id}' is not a webhook id");
        }

        await using var session = store.LightweightSession();
        session.Delete<Webhook>(hookId);
        await session.SaveChangesAsync(ct);
        return Results.NoContent();
    }
}
