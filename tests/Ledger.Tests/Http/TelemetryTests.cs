using System.Collections;
using System.Diagnostics;
using System.Net;
using Ledger.Infrastructure;
using Ledger.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Ledger.Infrastructure.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Ledger.Tests.Http;

/// <summary>The server with its instrumentation on and in-memory exporters to read what it emits.</summary>
public sealed class TelemetryServerFixture(PostgresFixture postgres) : LedgerServerFixture(postgres)
{
    public LockedCollection<Activity> Spans { get; } = new();

    public LockedCollection<Metric> Metrics { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings => [new(Observability.EnabledKey, "true")];

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics));
    }
}

/// <summary>A collection the exporters add to on the server's threads while a test reads it.</summary>
public sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public int Count
    {
        get
        {
            lock (_items)
            {
                return _items.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public void Add(T item)
    {
        lock (_items)
        {
            _items.Add(item);
        }
    }

    public void Clear()
    {
        lock (_items)
        {
            _items.Clear();
        }
    }

    public bool Contains(T item)
    {
        lock (_items)
        {
            return _items.Contains(item);
        }
    }

    public void CopyTo(T[] array, int arrayIndex)
    {
        lock (_items)
        {
            _items.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(T item)
    {
        lock (_items)
        {
            return _items.Remove(item);
        }
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_items)
        {
            return [.. _items];
        }
    }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

public sealed class TelemetryTests(TelemetryServerFixture server) : IClassFixture<TelemetryServerFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_recorded_development_leaves_a_server_span_with_its_database_work_and_the_libraries_spans_and_metrics()
    {
        using var alice = server.Client(LedgerServerFixture.AliceKey);
        using var response = await alice.PostAsync("/api/developments", Sample.Json(Sample.Proposal(key: "telemetry-1")), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // Other servers of the test run share the process, and so the libraries' sources: this one's spans are told by its port.
        var request = await SpanAsync(s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server
            && Equals(s.GetTagItem("server.port"), server.BaseAddress.Port) && s.GetTagItem("url.path") as string == "/api/developments");
        Assert.Equal("POST /api/developments", request.DisplayName);
        Assert.Equal(201, request.GetTagItem("http.response.status_code"));

        // Within the request's trace: the write's phases and the PostgreSQL commands they ran.
        var trace = server.Spans.Snapshot().Where(s => s.TraceId == request.TraceId).ToList();
        Assert.Contains(trace, s => s.Source.Name == "Ledger" && s.DisplayName == "ledger.append.commit");
        Assert.Contains(trace, s => s.Source.Name == "Npgsql" && s.Kind == ActivityKind.Client);
        // The caller's side, by the HttpClient instrumentation.
        Assert.Contains(trace, s => s.Source.Name == "System.Net.Http" && s.Kind == ActivityKind.Client);

        // After the commit: Marten's daemon pages the development to the feed, Wolverine hands it to the in-process subscriber.
        await SpanAsync(s => s.Source.Name == "Marten" && s.DisplayName == "marten.development_feed.all.page.execution");
        await SpanAsync(s => s.Source.Name == "Wolverine" && s.GetTagItem("messaging.message_type") as string == "Ledger.Subscriptions.DevelopmentRecorded"
            && s.GetTagItem("message.handler") as string == "Ledger.Subscriptions.DevelopmentRecordedHandler");

        Assert.True(server.App.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        var metrics = server.Metrics.Snapshot().Select(m => (m.MeterName, m.Name)).ToHashSet();
        Assert.Contains(("Microsoft.AspNetCore.Hosting", "http.server.request.duration"), metrics);
        Assert.Contains(("Marten", "marten.event.append"), metrics);
        Assert.Contains(("Marten", "marten.development_feed.all.processed"), metrics);
        Assert.Contains(metrics, m => m.MeterName.StartsWith("Wolverine:", StringComparison.Ordinal) && m.Name == "wolverine-messages-succeeded");
        Assert.Contains(("Npgsql", "db.client.operation.duration"), metrics);
    }

    [Fact]
    public async Task Console_logs_are_json_lines_when_asked_and_an_unknown_format_is_refused_by_name()
    {
        await using (var json = Build("json"))
        {
            var console = json.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
            Assert.Equal(ConsoleFormatterNames.Json, console.FormatterName);
            var options = json.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue;
            Assert.True(options.IncludeScopes, "scopes carry the trace id");
        }

        await using (var plain = Build(null))
        {
            Assert.NotEqual(ConsoleFormatterNames.Json, plain.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        }

        var refused = Assert.Throws<InvalidOperationException>(() => Build("yaml"));
        Assert.Contains(Observability.LogFormatKey, refused.Message, StringComparison.Ordinal);

        static WebApplication Build(string? format) =>
            LedgerServer.Build([], new ServerStore("Host=127.0.0.1;Port=1;Database=none", "unused"), builder =>
                builder.Configuration.AddInMemoryCollection([new(Observability.LogFormatKey, format)]));
    }

    private async Task<Activity> SpanAsync(Func<Activity, bool> match)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (server.Spans.Snapshot().FirstOrDefault(match) is { } span)
            {
                return span;
            }

            Assert.True(clock.Elapsed < Wait, $"no such span within {Wait.TotalSeconds:0} s");
            await Task.Delay(50, Ct);
        }
    }
}
