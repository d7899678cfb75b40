using System.Diagnostics;
using System.Net;
using Ledger.Infrastructure.Http;
using Microsoft.Extensions.Configuration;

namespace Ledger.Tests.Http;

/// <summary>A server whose callers may make 20 requests a second, 40 at once.</summary>
public sealed class RateLimitedServerFixture(Ledger.Tests.Infrastructure.PostgresFixture postgres) : LedgerServerFixture(postgres)
{
    public const int PermitsPerSecond = 20;
    public const int Burst = 40;

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings =>
    [
        new("Ledger:RateLimit:PermitsPerSecond", PermitsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Ledger:RateLimit:Burst", Burst.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}

/// <summary>
/// A burst past a caller's limit is answered 429 with <c>Retry-After</c> and a problem document; the limit is per
/// key (another key is unaffected) and per address for anonymous callers, and the health endpoints are never limited.
/// Every burst is bounded in count and sent to 127.0.0.1 only.
/// </summary>
public sealed class RateLimitTests(RateLimitedServerFixture server) : IClassFixture<RateLimitedServerFixture>
{
    private const int Requests = 600;
    private const int Concurrency = 32;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    /// <summary>Sends <see cref="Requests"/> GETs as fast as <see cref="Concurrency"/> connections allow; the statuses, the first 429, and how long it took.</summary>
    private static async Task<(Dictionary<HttpStatusCode, int> Statuses, HttpResponseMessage? Rejected, string RejectedBody, TimeSpan Elapsed)> BurstAsync(HttpClient client, string path, CancellationToken ct)
    {
        var statuses = new Dictionary<HttpStatusCode, int>();
        HttpResponseMessage? rejected = null;
        var rejectedBody = "";
        var next = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= Requests)
            {
                var response = await client.GetAsync(path, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                lock (statuses)
                {
                    statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
                    if (response.StatusCode == HttpStatusCode.TooManyRequests && rejected is null)
                    {
                        (rejected, rejectedBody) = (response, body);
                        continue;
                    }
                }

                response.Dispose();
            }
        }));
        return (statuses, rejected, rejectedBody, clock.Elapsed);
    }

    [Fact]
    public async Task A_burst_on_one_key_gets_429_with_Retry_After_while_another_key_and_the_health_endpoints_are_unaffected()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        using var bob = server.Client(LedgerServerFixture.BobKey);
        using var anonymous = server.Client();

        var (statuses, rejected, body, elapsed) = await BurstAsync(alice, "/api/negotiations", _ct);
        using var bobsTurn = await bob.GetAsync("/api/negotiations", _ct);
        using var live = await anonymous.GetAsync(Health.LivePath, _ct);

        TestContext.Current.SendDiagnosticMessage($"{Requests} requests in {elapsed.TotalMilliseconds:0} ms: {string.Join(", ", statuses.Select(s => $"{(int)s.Key}×{s.Value}"))}");
        Assert.Equal(Requests, statuses.Values.Sum());
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses.Keys.Order());

        // What got through is the burst plus what the steady rate refilled meanwhile (and a second's slack).
        var allowed = RateLimitedServerFixture.Burst + (RateLimitedServerFixture.PermitsPerSecond * (elapsed.TotalSeconds + 1));
        Assert.InRange(statuses[HttpStatusCode.OK], RateLimitedServerFixture.Burst / 2, allowed);

        Assert.NotNull(rejected);
        Assert.True(int.TryParse(Assert.Single(rejected.Headers.GetValues("Retry-After")), out var seconds) && seconds >= 1, "Retry-After is a whole number of seconds");
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":429", body, StringComparison.Ordinal);
        Assert.Contains("retry after", body, StringComparison.Ordinal);
        Assert.Contains("alice", body, StringComparison.Ordinal);
        rejected.Dispose();

        Assert.Equal(HttpStatusCode.OK, bobsTurn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Anonymous_callers_are_limited_by_address_and_the_health_endpoints_still_answer()
    {
        using var anonymous = server.Client();

        var (statuses, rejected, _, _) = await BurstAsync(anonymous, "/api/negotiations", _ct);
        using var live = await anonymous.GetAsync(Health.LivePath, _ct);
        using var ready = await anonymous.GetAsync(Health.ReadyPath, _ct);

        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.TooManyRequests) > Requests / 2, $"429s: {statuses.GetValueOrDefault(HttpStatusCode.TooManyRequests)}");
        Assert.NotNull(rejected);
        rejected.Dispose();
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public void The_limit_is_configurable_and_can_be_switched_off()
    {
        static RateLimitSettings Read(params (string Key, string Value)[] settings) =>
            RateLimitSettings.From(new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build());

        Assert.Equal(new RateLimitSettings(true, RateLimitSettings.DefaultPermitsPerSecond, RateLimitSettings.DefaultBurst), Read());
        Assert.Equal(new RateLimitSettings(true, 5, 7), Read(("Ledger:RateLimit:PermitsPerSecond", "5"), ("Ledger:RateLimit:Burst", "7")));
        Assert.Equal(new RateLimitSettings(true, 50, 50), Read(("Ledger:RateLimit:PermitsPerSecond", "50"), ("Ledger:RateLimit:Burst", "3")));
        Assert.False(Read(("Ledger:RateLimit:Enabled", "false")).Enabled);
    }
}
