using System.Runtime.CompilerServices;
using JasperFx;
using Ledger.Domain.Recording;
using Marten;
using Microsoft.Extensions.Configuration;

namespace Ledger.Infrastructure;

/// <summary>A PostgreSQL database beyond the main one, and the negotiations it holds.</summary>
public sealed record PartitionDatabase(string Name, string ConnectionString, IReadOnlyList<string> Negotiations);

/// <summary>
/// Negotiations are the unit of partitioning. Every negotiation lives in the main database (the ledger's
/// connection) unless configuration moves it to another one:
/// <c>Ledger:Databases:&lt;name&gt;:Connection</c> and <c>Ledger:Databases:&lt;name&gt;:Negotiations</c> (a comma
/// separated list; environment <c>Ledger__Databases__gaza__Connection=...</c>). Marten holds them as one store with a
/// database per tenant, where a moved negotiation is a tenant of its database and everything else is the default
/// tenant of the main database: webhooks, keys and the messaging tables stay there. Sources are reference data:
/// every database holds each one, so any negotiation can cite any source.
/// </summary>
public sealed class Partitioning
{
    private static readonly ConditionalWeakTable<StoreOptions, Partitioning> ByStore = new();

    private readonly Dictionary<string, PartitionDatabase> _byNegotiation;

    public Partitioning(IReadOnlyList<PartitionDatabase> databases)
    {
        Databases = databases;
        _byNegotiation = new Dictionary<string, PartitionDatabase>(StringComparer.Ordinal);
        foreach (var database in databases)
        {
            foreach (var negotiation in database.Negotiations)
            {
                if (!_byNegotiation.TryAdd(negotiation, database))
                {
                    throw new InvalidOperationException(
                        $"Ledger:Databases: negotiation '{negotiation}' is assigned to both '{_byNegotiation[negotiation].Name}' and '{database.Name}'.");
                }
            }
        }
    }

    public static Partitioning None { get; } = new([]);

    /// <summary>The databases beyond the main one; none for a ledger on one database.</summary>
    public IReadOnlyList<PartitionDatabase> Databases { get; }

    public bool IsPartitioned => Databases.Count > 0;

    /// <summary>The Marten tenant a negotiation's events and documents belong to.</summary>
    public string TenantOf(string? negotiationId) =>
        negotiationId is not null && _byNegotiation.ContainsKey(negotiationId) ? negotiationId : StorageConstants.DefaultTenantId;

    /// <summary>The database that holds a negotiation: "main" or the configured name.</summary>
    public string DatabaseOf(string? negotiationId) =>
        negotiationId is not null && _byNegotiation.TryGetValue(negotiationId, out var database) ? database.Name : MainDatabase;

    public const string MainDatabase = "main";

    /// <summary>One tenant per database, to open a session in each: the main database first.</summary>
    public IReadOnlyList<string> OneTenantPerDatabase =>
        [StorageConstants.DefaultTenantId, .. Databases.Where(d => d.Negotiations.Count > 0).Select(d => d.Negotiations[0])];

    public static Partitioning From(IConfiguration configuration)
    {
        var databases = new List<PartitionDatabase>();
        foreach (var section in configuration.GetSection("Ledger:Databases").GetChildren().OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var connection = section["Connection"];
            if (string.IsNullOrWhiteSpace(connection))
            {
                throw new InvalidOperationException($"Ledger:Databases:{section.Key}:Connection is missing: every database needs a connection string.");
            }

            if (section.Key == MainDatabase)
            {
                throw new InvalidOperationException($"Ledger:Databases:{MainDatabase}: 'main' is the ledger's own connection; name the other databases differently.");
            }

            var negotiations = (section["Negotiations"] ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var negotiation in negotiations)
            {
                if (!Recorder.IsId(negotiation))
                {
                    throw new InvalidOperationException($"Ledger:Databases:{section.Key}:Negotiations: '{negotiation}' is not a negotiation id (a-z, 0-9 and '-').");
                }
            }

            databases.Add(new PartitionDatabase(section.Key, connection, negotiations));
        }

        return databases.Count == 0 ? None : new Partitioning(databases);
    }

    /// <summary>The partitioning from the environment, for the command line (the same names the server reads).</summary>
    public static Partitioning FromEnvironment() => From(new ConfigurationBuilder().AddEnvironmentVariables().Build());

    internal void Attach(StoreOptions options) => ByStore.AddOrUpdate(options, this);

    /// <summary>How a store was partitioned when it was configured.</summary>
    public static Partitioning Of(IDocumentStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Options is StoreOptions options && ByStore.TryGetValue(options, out var partitioning) ? partitioning : None;
    }
}

/// <summary>Sessions in the database that holds a negotiation, or in every database.</summary>
public static class PartitionedSessions
{
    // Marten opens a session of the default tenant in the main database, whether or not the store is partitioned.
    public static IQuerySession QuerySessionFor(this IDocumentStore store, string? negotiationId) =>
        store.QuerySession(Partitioning.Of(store).TenantOf(negotiationId));

    public static IDocumentSession LightweightSessionFor(this IDocumentStore store, string? negotiationId) =>
        store.LightweightSession(Partitioning.Of(store).TenantOf(negotiationId));

    /// <summary>A query session in each database, the main one first: reads across negotiations fan out over them.</summary>
    public static IReadOnlyList<IQuerySession> QuerySessionsInEveryDatabase(this IDocumentStore store) =>
        [.. Partitioning.Of(store).OneTenantPerDatabase.Select(store.QuerySession)];

    /// <summary>Runs a read in every database and concatenates what each found.</summary>
    public static async Task<List<T>> FanOutAsync<T>(this IDocumentStore store, Func<IQuerySession, Task<IReadOnlyList<T>>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var all = new List<T>();
        foreach (var session in store.QuerySessionsInEveryDatabase())
        {
            await using (session)
            {
                all.AddRange(await read(session));
            }
        }

        return all;
    }
}
