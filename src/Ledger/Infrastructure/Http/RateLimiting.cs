using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Ledger.Infrastructure.Http;

/// <summary>
/// How many requests one caller may make: <c>Ledger:RateLimit:PermitsPerSecond</c> (the steady rate),
/// <c>Ledger:RateLimit:Burst</c> (how many may come at once after a quiet spell), <c>Ledger:RateLimit:Enabled=false</c>
/// to switch the limit off (behind a proxy that limits already, say).
/// </summary>
public sealed record RateLimitSettings(bool Enabled, int PermitsPerSecond, int Burst)
{
    public const int DefaultPermitsPerSecond = 100;
    public const int DefaultBurst = 200;

    public static RateLimitSettings From(IConfiguration configuration)
    {
        var permits = Math.Max(1, configuration.GetValue("Ledger:RateLimit:PermitsPerSecond", DefaultPermitsPerSecond));
        return new RateLimitSettings(
            configuration.GetValue("Ledger:RateLimit:Enabled", true),
            permits,
            Math.Max(permits, configuration.GetValue("Ledger:RateLimit:Burst", Math.Max(DefaultBurst, permits))));
    }
}

/// <summary>
/// A token bucket per caller: per key name for requests with a key (so one busy writer does not slow another),
/// per client address for anonymous ones. Over the limit: 429 with <c>Retry-After</c> and a problem document.
/// </summary>
public static class RateLimiting
{
    public static WebApplicationBuilder AddLedgerRateLimiting(this WebApplicationBuilder builder)
    {
        var settings = RateLimitSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                !settings.Enabled
                    ? RateLimitPartition.GetNoLimiter("off")
                    : RateLimitPartition.GetTokenBucketLimiter(PartitionOf(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = settings.Burst,
                        TokensPerPeriod = settings.PermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            options.OnRejected = async (rejected, ct) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                var context = rejected.HttpContext;
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var who = context.User.Identity?.IsAuthenticated == true ? $"the key of '{context.User.Identity.Name}'" : "this address";
                await Problems.Write(
                    context,
                    StatusCodes.Status429TooManyRequests,
                    "Too many requests",
                    $"{who} may make {settings.PermitsPerSecond} requests a second (bursts of {settings.Burst}); retry after {seconds} s.");
            };
        });
        return builder;
    }

    /// <summary>The key's name when the request was authenticated, else the client's address.</summary>
    private static string PartitionOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? "key:" + name
            : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
