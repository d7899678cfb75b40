using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Infrastructure.Http;
using Ledger.Tests.Cli;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Ledger.Tests.Http.WebhookCalls;

namespace Ledger.Tests.Http;

/// <summary>
/// The server with quick retry pauses (50, 100 and 200 ms: four attempts) taken up every 100 ms, so that
/// dead-lettering takes moments; loopback receivers allowed. Key <c>root</c> is an admin's.
/// </summary>
public sealed class WebhookServerFixture(PostgresFixture postgres) : LedgerServerFixture(postgres)
{
    public const string RootKey = "root-test-key-9";

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings =>
    [
        new("Ledger:Webhooks:RetryDelaysMs", "50,100,200"),
        new("Ledger:Webhooks:PollingMs", "100"),
        new("Ledger:Webhooks:AllowPrivateTargets", "true"),
        new("Ledger:AdminKeys:root", RootKey),
    ];
}

public sealed class WebhookTests(WebhookServerFixture server) : IClassFixture<WebhookServerFixture>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _receiver = await WebhookReceiver.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_matching_development_is_delivered_signed_a_failing_receiver_gets_retries_and_a_dead_one_is_dead_lettered()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        _receiver.FailuresLeft["flaky"] = 2;       // fails twice, then accepts
        _receiver.FailuresLeft["dead"] = 1_000;    // never accepts
        var healthy = await RegisterAsync(alice, _receiver.Url("healthy"));
        var flaky = await RegisterAsync(alice, _receiver.Url("flaky"));
        var dead = await RegisterAsync(alice, _receiver.Url("dead"));
        var elsewhere = await RegisterAsync(alice, _receiver.Url("elsewhere"), track: "ceasefire");

        var sequence = await AppendAsync(alice, "exchange-100");

        var healthyDeliveries = await DeliveriesUntilAsync(alice, healthy.Id, d => d.Any(x => x.Status() == "delivered"));
        var flakyDeliveries = await DeliveriesUntilAsync(alice, flaky.Id, d => d.Any(x => x.Status() == "delivered"));
        var deadDeliveries = await DeliveriesUntilAsync(alice, dead.Id, d => d.Any(x => x.Status() == "dead-lettered"));

        // Delivered, once, signed so the receiver can verify it, with a key to recognise it again.
        var delivered = _receiver.Of("healthy");
        Assert.Single(delivered);
        Assert.Equal(sequence.ToString(CultureInfo.InvariantCulture), delivered[0].EventId);
        Assert.Equal($"{healthy.Id}:{sequence}", delivered[0].IdempotencyKey);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(healthy.Secret), Encoding.UTF8.GetBytes(delivered[0].Body)));
        Assert.Equal(expected, delivered[0].Signature);
        Assert.Equal("exchange-100", JsonDocument.Parse(delivered[0].Body).RootElement.GetProperty("developmentKey").GetString());
        Assert.Single(healthyDeliveries[0].GetProperty("attempts").EnumerateArray());

        // Retried after failures, then delivered; every attempt carries the same idempotency key.
        Assert.Equal(3, _receiver.Of("flaky").Count);
        Assert.Single(_receiver.Of("flaky").Select(r => r.IdempotencyKey).Distinct());
        Assert.Equal(["503", "503", "200"], flakyDeliveries[0].GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("statusCode").GetInt32().ToString(CultureInfo.InvariantCulture)));

        // Dead-lettered after the last attempt, and visible as such.
        Assert.Equal(4, deadDeliveries[0].GetProperty("attempts").GetArrayLength());
        Assert.Equal(4, _receiver.Of("dead").Count);
        Assert.True(await WolverineDeadLettersAsync() >= 1, "the message is in Wolverine's dead-letter storage");
        Assert.Single(await DeliveriesAsync(alice, dead.Id, "dead-lettered"));
        Assert.Empty(await DeliveriesAsync(alice, dead.Id, "pending"));
        Assert.Empty(await DeliveriesAsync(alice, healthy.Id, "dead-lettered"));
        Assert.Contains("status", (await (await alice.GetAsync($"/api/webhooks/{dead.Id}/deliveries?status=lost", Ct)).ProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());

        // The filter held.
        Assert.DoesNotContain(_receiver.Received, r => r.Name == "elsewhere");
        Assert.Empty(await DeliveriesAsync(alice, elsewhere.Id));
    }

    [Fact]
    public async Task A_dead_letter_is_resent_from_the_api_with_the_same_idempotency_key()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        _receiver.FailuresLeft["resend-api"] = 4;   // every attempt of the first round fails
        var hook = await RegisterAsync(alice, _receiver.Url("resend-api"));
        var sequence = await AppendAsync(alice, "exchange-resend-api");
        await DeliveriesUntilAsync(alice, hook.Id, d => d.Any(x => x.Status() == "dead-lettered"));

        // Only a dead letter is resent.
        await (await alice.PostAsync($"/api/webhooks/{hook.Id}/deliveries/999999/resend", null, Ct)).ProblemAsync(HttpStatusCode.NotFound);
        var resent = await (await alice.PostAsync($"/api/webhooks/{hook.Id}/deliveries/{sequence}/resend", null, Ct)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal([sequence], resent.GetProperty("sequences").EnumerateArray().Select(s => s.GetInt64()));

        var deliveries = await DeliveriesUntilAsync(alice, hook.Id, d => d.Any(x => x.Status() == "delivered"));
        Assert.Equal(5, deliveries[0].GetProperty("attempts").GetArrayLength());
        Assert.Equal(2, deliveries[0].GetProperty("round").GetInt32());
        Assert.Equal(5, _receiver.Of("resend-api").Count);
        Assert.Single(_receiver.Of("resend-api").Select(r => r.IdempotencyKey).Distinct());
        await (await alice.PostAsync($"/api/webhooks/{hook.Id}/deliveries/{sequence}/resend", null, Ct)).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_redirect_is_a_failed_attempt_and_is_not_followed()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        _receiver.RedirectTo["moved"] = "moved-target";
        var hook = await RegisterAsync(alice, _receiver.Url("moved"));
        await AppendAsync(alice, "exchange-redirect");

        var deliveries = await DeliveriesUntilAsync(alice, hook.Id, d => d.Any(x => x.Status() == "dead-lettered"));
        var attempts = deliveries[0].GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(4, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(307, a.GetProperty("statusCode").GetInt32()));
        Assert.All(attempts, a => Assert.Equal(_receiver.Url("moved-target"), a.GetProperty("location").GetString()));
        Assert.Empty(_receiver.Of("moved-target"));
    }

    [Fact]
    public async Task A_webhook_belongs_to_the_key_that_registered_it()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        using var bob = server.Client(LedgerServerFixture.BobKey);
        using var root = server.Client(WebhookServerFixture.RootKey);
        var hook = await RegisterAsync(alice, _receiver.Url("owned"));

        // Bob sees no such webhook: not in his list, its deliveries and its deletion answer 404 as for an unknown id.
        var bobs = await (await bob.GetAsync("/api/webhooks", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(bobs.EnumerateArray(), w => w.GetProperty("id").GetString() == hook.Id);
        await (await bob.GetAsync($"/api/webhooks/{hook.Id}/deliveries", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        await (await bob.DeleteAsync($"/api/webhooks/{hook.Id}", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        await (await bob.PostAsync($"/api/webhooks/{hook.Id}/deliveries/resend", null, Ct)).ProblemAsync(HttpStatusCode.NotFound);
        await (await alice.DeleteAsync($"/api/webhooks/{Guid.NewGuid()}", Ct)).ProblemAsync(HttpStatusCode.NotFound);

        // Alice and an admin see it.
        var alices = await (await alice.GetAsync("/api/webhooks", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(alices.EnumerateArray(), w => w.GetProperty("id").GetString() == hook.Id);
        Assert.All(alices.EnumerateArray(), w => Assert.Equal("alice", w.GetProperty("registeredBy").GetString()));
        var everyone = await (await root.GetAsync("/api/webhooks", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(everyone.EnumerateArray(), w => w.GetProperty("id").GetString() == hook.Id);
        await (await root.GetAsync($"/api/webhooks/{hook.Id}/deliveries", Ct)).JsonAsync(HttpStatusCode.OK);

        // Still there after Bob's attempt; gone after Alice's.
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/webhooks/{hook.Id}", Ct)).StatusCode);
        await (await alice.DeleteAsync($"/api/webhooks/{hook.Id}", Ct)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_secret_is_shown_once_and_not_stored_in_clear()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        var hook = await RegisterAsync(alice, _receiver.Url("secretive"));
        Assert.Equal(64, hook.Secret.Length);

        await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new Npgsql.NpgsqlCommand($"select data::text from {server.Schema}.mt_doc_webhook where id = @id", connection);
        command.Parameters.AddWithValue("id", Guid.Parse(hook.Id));
        var row = (string?)await command.ExecuteScalarAsync(Ct);
        Assert.NotNull(row);
        Assert.DoesNotContain(hook.Secret, row, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("protectedSecret", row, StringComparison.Ordinal);

        var listed = await (await alice.GetAsync("/api/webhooks", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(hook.Secret, listed.GetRawText(), StringComparison.Ordinal);
        Assert.All(listed.EnumerateArray(), w => Assert.False(w.TryGetProperty("secret", out _)));
    }

    [Fact]
    public async Task Dead_letters_are_listed_and_resent_from_the_command_line()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        _receiver.FailuresLeft["resend-cli"] = 4;
        var hook = await RegisterAsync(alice, _receiver.Url("resend-cli"));
        var sequence = await AppendAsync(alice, "exchange-resend-cli");
        await DeliveriesUntilAsync(alice, hook.Id, d => d.Any(x => x.Status() == "dead-lettered"));

        var (listed, listOutput, _) = await LedgerAsync("webhooks", "dead-letters", "--webhook", hook.Id, "--format", "json");
        Assert.Equal(0, listed);
        var deadLetters = JsonDocument.Parse(listOutput).RootElement.EnumerateArray().ToList();
        Assert.Equal(sequence, Assert.Single(deadLetters).GetProperty("sequence").GetInt64());

        var (usage, _, _) = await LedgerAsync("webhooks", "resend", hook.Id);
        Assert.Equal(2, usage);
        var (resent, resendOutput, _) = await LedgerAsync("webhooks", "resend", hook.Id, "--all");
        Assert.Equal(0, resent);
        Assert.Contains($"#{sequence}", resendOutput, StringComparison.Ordinal);

        await DeliveriesUntilAsync(alice, hook.Id, d => d.Any(x => x.Status() == "delivered"));
        Assert.Equal(5, _receiver.Of("resend-cli").Count);
        var (_, after, _) = await LedgerAsync("webhooks", "dead-letters", "--webhook", hook.Id, "--format", "json");
        Assert.Empty(JsonDocument.Parse(after).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Webhooks_need_a_writers_key_and_a_valid_url()
    {
        using var anonymous = server.Client();
        using var alice = server.Client(LedgerServerFixture.AliceKey);

        await (await anonymous.GetAsync("/api/webhooks", Ct)).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PostAsync("/api/webhooks", Sample.Json(new { url = "http://127.0.0.1:1/x" }), Ct)).ProblemAsync(HttpStatusCode.Unauthorized);
        var problem = await (await alice.PostAsync("/api/webhooks", Sample.Json(new { url = "ftp://example/x" }), Ct)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("url", problem.ErrorFields());
    }

    /// <summary>Runs the command line (the built <c>ledger</c>) against the fixture's schema.</summary>
    private Task<LedgerRun> LedgerAsync(params string[] args) =>
        LedgerProcess.RunAsync(new Dictionary<string, string> { ["LEDGER_CONNECTION"] = server.ConnectionString, ["LEDGER_SCHEMA"] = server.Schema }, args);

    private async Task<long> WolverineDeadLettersAsync()
    {
        for (var i = 0; ; i++)
        {
            await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync(Ct);
            await using var command = new Npgsql.NpgsqlCommand(
                $"select count(*) from {server.Schema}.wolverine_dead_letters where message_type like '%deliver%webhook%' or exception_type like '%WebhookDeliveryException%'",
                connection);
            var count = (long)(await command.ExecuteScalarAsync(Ct))!;
            if (count > 0 || i == 50)
            {
                return count;
            }

            await Task.Delay(100, Ct);
        }
    }
}
