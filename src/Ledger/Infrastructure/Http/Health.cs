using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Marten;

namespace Ledger.Infrastructure.Http;

/// <summary>
/// Whether PostgreSQL answers the server: one round trip through the store, from the same connection pool the
/// requests use (a probe on a connection of its own could be refused for want of a slot while the pool serves
/// requests well, or succeed while the pool cannot), bounded by a short timeout so a probe never hangs.
/// </summary>
public sealed class DatabaseHealthCheck(IDocumentStore store) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Timeout);
        try
        {
            await using var session = store.QuerySession();
            await session.QueryAsync<int>("select 1", bounded.Token);
            return HealthCheckResult.Healthy("the database answers");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"the database is unreachable: no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (DatabaseOutageHandler.IsOutage(e))
        {
            return HealthCheckResult.Unhealthy($"the database is unreachable: {Innermost(e).Message}");
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}

/// <summary>
/// <c>/health/live</c>: 200 while the process runs and serves requests; nothing else is checked, so an orchestrator
/// does not restart a node for an outage of the database it cannot cure. <c>/health/ready</c>: 200 when the
/// database answers, 503 when it does not, so a load balancer sends requests elsewhere. Neither needs a key or
/// counts against the rate limit.
/// </summary>
public static class Health
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddLedgerHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, [ReadyTag], DatabaseHealthCheck.Timeout + TimeSpan.FromSeconds(2));
        return builder;
    }

    public static WebApplication MapLedgerHealth(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous()
            .DisableRateLimiting()
            .ExcludeFromDescription();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .AllowAnonymous()
            .DisableRateLimiting()
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>The status and, per check, what it found: <c>{"status":"unhealthy","checks":{"database":"the database is unreachable: …"}}</c>.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
