using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ledger.Infrastructure.Http;
using Ledger.Import;
using Ledger.Tests.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Tests.Http;

/// <summary>
/// A running server (real Kestrel on 127.0.0.1, a random port) over a fresh schema, with a tiny negotiation
/// registered and one source: one per test class. Writers: <c>alice</c> and <c>bob</c>; <c>carol</c> has a read-only key.
/// </summary>
public class LedgerServerFixture(PostgresFixture postgres) : IAsyncLifetime
{
    public const string AliceKey = "alice-test-key-1";
    public const string BobKey = "bob-test-key-2";
    public const string CarolReadKey = "carol-read-key-3";
    public const string Negotiation = "harbour-talks";

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IDocumentStore Store => App.Services.GetRequiredService<IDocumentStore>();

    public string Schema { get; private set; } = "";

    public string ConnectionString => postgres.ConnectionString;

    protected virtual bool RequireKeyForReads => false;

    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreSettings => [];

    /// <summary>More services for the server (before it registers its own), e.g. an exporter to look at.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public virtual async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Schema = postgres.NewSchemaName(GetType().Name);
        App = LedgerServer.Build(["--urls", "http://127.0.0.1:0"], new ServerStore(postgres.ConnectionString, Schema), builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ledger:ApiKeys:alice"] = AliceKey,
                ["Ledger:ApiKeys:bob"] = BobKey,
                ["Ledger:ReadKeys:carol"] = CarolReadKey,
                ["Ledger:RequireKeyForReads"] = RequireKeyForReads ? "true" : "false",
                ["Ledger:HeartbeatSeconds"] = "1",
            }.Concat(MoreSettings));
            Configure(builder);
        });
        await App.StartAsync(ct);
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);

        var folder = Path.Combine(Path.GetTempPath(), "ledger-http-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var negotiation = Directory.CreateDirectory(Path.Combine(folder, "events", Negotiation)).FullName;
            await File.WriteAllTextAsync(Path.Combine(negotiation, NegotiationFile.FileName), Sample.NegotiationYaml, ct);
            var report = await new Importer(Store, "test-setup").ImportAsync(Path.Combine(folder, "seeds"), Path.Combine(folder, "events"), folder, ct: ct);
            Assert.True(report.Succeeded, string.Join("; ", report.Files.SelectMany(f => f.Errors)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        using var client = Client(AliceKey);
        var registered = await client.PostAsync("/api/sources", Sample.Json(Sample.Source("wire-0303", Sample.WireText, "2025-03-03")), ct);
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync(ct));
        var second = await client.PostAsync("/api/sources", Sample.Json(Sample.Source("daily-0310", Sample.DailyText, "2025-03-10")), ct);
        Assert.True(second.IsSuccessStatusCode, await second.Content.ReadAsStringAsync(ct));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public HttpClient Client(string? key = null, bool bearer = true)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            if (bearer)
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
            else
            {
                client.DefaultRequestHeaders.Add("X-Api-Key", key);
            }
        }

        return client;
    }

    /// <summary>Events recorded, leaving out the tombstones Marten writes for the sequence numbers of failed transactions.</summary>
    public async Task<long> EventCountAsync()
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents().Where(e => e.EventTypeName != "tombstone").CountAsync();
    }
}

/// <summary>The same server, with reads closed to callers without a key.</summary>
public sealed class ClosedLedgerServerFixture(PostgresFixture postgres) : LedgerServerFixture(postgres)
{
    protected override bool RequireKeyForReads => true;
}

/// <summary>A tiny, self-contained negotiation: two parties, a mediator, two tracks, two sources.</summary>
public static class Sample
{
    public const string NegotiationYaml = """
        negotiation: harbour-talks
        title: Harbour talks
        description: A made-up negotiation for the HTTP tests.
        parties:
          - { id: north, name: North, role: party }
          - { id: south, name: South, role: party }
          - { id: isle, name: The Isle, role: mediator }
        actors:
          - { id: vega, name: Ana Vega, party: north, role: head of the northern delegation, aliases: [Vega] }
        categories:
          - { id: prisoners-of-war, name: Prisoners of war }
        tracks:
          - { id: prisoners, title: Prisoner exchanges }
          - { id: ceasefire, title: Ceasefire }
        """;

    public const string WireText =
        "HARBOUR, 3 March 2025. North proposed to exchange 100 prisoners with South, Ana Vega told reporters. "
        + "South said it would consider the offer. The Isle hosted the meeting. "
        + "On the ceasefire, North said a truce must come first.";

    public const string DailyText =
        "HARBOUR, 10 March 2025. The two sides completed an exchange of 100 prisoners each, officials said. "
        + "South said the ceasefire was not on the table.";

    public static object Source(string id, string text, string published) => new Dictionary<string, object?>
    {
        ["id"] = id,
        ["outlet"] = id.StartsWith("wire", StringComparison.Ordinal) ? "Harbour Wire" : "Harbour Daily",
        ["title"] = "Talks in the harbour",
        ["published"] = published,
        ["language"] = "en",
        ["text"] = text,
    };

    public static Dictionary<string, object?> Proposal(string quote = "North proposed to exchange 100 prisoners with South", string key = "exchange-100", string occurred = "2025-03-03") =>
        Developments(new Dictionary<string, object?>
        {
            ["key"] = key,
            ["track"] = "prisoners",
            ["kind"] = "proposal-made",
            ["occurred"] = occurred,
            ["said-by"] = "Vega",
            ["proposed-by"] = "north",
            ["text"] = "Exchange 100 prisoners each",
            ["reports"] = new[] { new Dictionary<string, object?> { ["source"] = "wire-0303", ["quote"] = quote } },
        });

    public static Dictionary<string, object?> Exchange(string key = "exchange-100-done") => Developments(new Dictionary<string, object?>
    {
        ["key"] = key,
        ["track"] = "prisoners",
        ["kind"] = "exchange-completed",
        ["occurred"] = "2025-03-10",
        ["category"] = "prisoners-of-war",
        ["transfers"] = new[] { new Dictionary<string, object?> { ["to"] = "north", ["count"] = "100" }, new Dictionary<string, object?> { ["to"] = "south", ["count"] = "100" } },
        ["text"] = "Exchange of 100 for 100",
        ["reports"] = new[] { new Dictionary<string, object?> { ["source"] = "daily-0310", ["quote"] = "completed an exchange of 100 prisoners each" } },
    });

    public static Dictionary<string, object?> Position(string party, string quote, string occurred, string source, string? key = null) => Developments(new Dictionary<string, object?>
    {
        ["key"] = key ?? $"{party}-on-ceasefire-{occurred}",
        ["track"] = "ceasefire",
        ["kind"] = "position-stated",
        ["occurred"] = occurred,
        ["party"] = party,
        ["topic"] = "ceasefire",
        ["position"] = quote,
        ["reports"] = new[] { new Dictionary<string, object?> { ["source"] = source, ["quote"] = quote } },
    });

    public static Dictionary<string, object?> Developments(params Dictionary<string, object?>[] developments) => new()
    {
        ["negotiation"] = "harbour-talks",
        ["developments"] = developments,
    };

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
