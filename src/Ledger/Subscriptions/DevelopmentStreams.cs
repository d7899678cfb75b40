using System.Diagnostics.Metrics;
using System.Globalization;
using Ledger.Infrastructure;

namespace Ledger.Subscriptions;

/// <summary>
/// The bounds of the live stream. <see cref="Heartbeat"/>: how often an idle stream sends a comment line to keep
/// proxies and clients from closing it. <see cref="ClientBuffer"/>: developments held for one client before it is
/// cut off. <see cref="WriteTimeout"/>: how long one write to a client may take before it is cut off.
/// <see cref="MaxStreams"/>: streams served at once by this node; beyond it a request is answered 503 with
/// <c>Retry-After: </c><see cref="RetryAfter"/>. <see cref="PollInterval"/>: how often the follower looks for new
/// developments when no notification has come.
/// </summary>
public sealed record StreamSettings(TimeSpan Heartbeat, int ClientBuffer, TimeSpan WriteTimeout, int MaxStreams, TimeSpan RetryAfter, TimeSpan PollInterval)
{
    /// <summary>More than the follower hands out at once (a page of 500), so a client that reads keeps up with a bulk import.</summary>
    public const int DefaultClientBuffer = 1_000;
    public const int DefaultMaxStreams = 1_000;

    /// <summary>Reads <c>Ledger:HeartbeatSeconds</c> and <c>Ledger:Streams:*</c>; a value out of range stops the start with a message naming it.</summary>
    public static StreamSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new StreamSettings(
            TimeSpan.FromSeconds(Number(configuration, "Ledger:HeartbeatSeconds", 15, 0.01, 3600)),
            (int)Number(configuration, "Ledger:Streams:ClientBuffer", DefaultClientBuffer, 1, 1_000_000),
            TimeSpan.FromSeconds(Number(configuration, "Ledger:Streams:WriteTimeoutSeconds", 10, 0.01, 3600)),
            (int)Number(configuration, "Ledger:Streams:MaxStreams", DefaultMaxStreams, 0, 1_000_000),
            TimeSpan.FromSeconds(Number(configuration, "Ledger:Streams:RetryAfterSeconds", 5, 1, 3600)),
            TimeSpan.FromMilliseconds(Number(configuration, "Ledger:Streams:PollMilliseconds", 1000, 10, 60_000)));
    }

    private static double Number(IConfiguration configuration, string key, double fallback, double min, double max)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new InvalidOperationException($"The setting {key} is '{text}': it must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
        }

        return value;
    }
}

/// <summary>The live stream's counts, on the ledger's meter.</summary>
public static class StreamMetrics
{
    public static readonly UpDownCounter<long> Active = Telemetry.Meter.CreateUpDownCounter<long>(
        "ledger.streams.active", unit: "{stream}", description: "Live streams (Server-Sent Events) joined to the node's broadcast");

    public static readonly Counter<long> CutOff = Telemetry.Meter.CreateCounter<long>(
        "ledger.streams.cut_off", unit: "{stream}", description: "Streams cut off because the client fell behind (reason: overflow) or a write did not complete in time (reason: write_timeout)");

    public static readonly Counter<long> Refused = Telemetry.Meter.CreateCounter<long>(
        "ledger.streams.refused", unit: "{stream}", description: "Stream requests answered 503 because the node serves Ledger:Streams:MaxStreams already");
}

/// <summary>
/// The node's broadcast of each database the ledger is partitioned over (see <see cref="Partitioning"/>): stream
/// positions are event sequences, and each database numbers its own events.
/// </summary>
public sealed class DevelopmentBroadcasts(DevelopmentBroadcaster main, IReadOnlyDictionary<string, DevelopmentBroadcaster> others, Partitioning partitioning)
{
    public DevelopmentBroadcaster Main { get; } = main;

    public Partitioning Partitioning { get; } = partitioning;

    /// <summary>The broadcast of the database that holds a negotiation.</summary>
    public DevelopmentBroadcaster For(string? negotiationId) =>
        others.GetValueOrDefault(Partitioning.DatabaseOf(negotiationId)) ?? Main;
}

public static class DevelopmentStreams
{
    /// <summary>
    /// The live stream of this node: its settings, and for each database a broadcast with the follower that feeds it
    /// from that database.
    /// </summary>
    public static WebApplicationBuilder AddDevelopmentStreams(this WebApplicationBuilder builder, string connectionString, string schema, Partitioning partitioning)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(partitioning);
        var settings = StreamSettings.From(builder.Configuration);
        var main = new DevelopmentBroadcaster(settings);
        var others = partitioning.Databases.Where(d => d.Negotiations.Count > 0)
            .ToDictionary(d => d.Name, _ => new DevelopmentBroadcaster(settings), StringComparer.Ordinal);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(main);
        builder.Services.AddSingleton(new DevelopmentBroadcasts(main, others, partitioning));
        AddFollower(builder, connectionString, schema, JasperFx.StorageConstants.DefaultTenantId, main);
        foreach (var database in partitioning.Databases.Where(d => others.ContainsKey(d.Name)))
        {
            AddFollower(builder, database.ConnectionString, schema, database.Negotiations[0], others[database.Name]);
        }

        return builder;
    }

    private static void AddFollower(WebApplicationBuilder builder, string connectionString, string schema, string tenant, DevelopmentBroadcaster broadcaster) =>
        builder.Services.AddSingleton<IHostedService>(services => new DevelopmentFollower(
            connectionString,
            schema,
            tenant,
            services.GetRequiredService<Marten.IDocumentStore>(),
            broadcaster,
            services.GetRequiredService<ILogger<DevelopmentFollower>>()));
}
