using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Ledger.Infrastructure.Http;

/// <summary>
/// Whether PostgreSQL answers: a fresh connection (no pool, so a pooled connection cannot hide an outage) and one
/// round trip, both bounded by a short timeout so that a probe never hangs on an unreachable server.
/// </summary>
public sealed class DatabaseHealthCheck(string connectionString) : IHealthCheck
{
    public const int TimeoutSeconds = 3;

    private readonly string _probe = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Pooling = false,
        Timeout = TimeoutSeconds,
        CommandTimeout = TimeoutSeconds,
        ApplicationName = "ledger-health",
    }.ConnectionString;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_probe);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("the database answers");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException)
        {
            return HealthCheckResult.Unhealthy($"the database is unreachable: {e.Message}");
        }
    }
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

    public static WebApplicationBuilder AddLedgerHealth(this WebApplicationBuilder builder, string connectionString)
    {
        builder.Services.AddHealthChecks()
            .AddCheck("database", new DatabaseHealthCheck(connectionString), HealthStatus.Unhealthy, [ReadyTag], TimeSpan.FromSeconds(DatabaseHealthCheck.TimeoutSeconds + 2));
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
