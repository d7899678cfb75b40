using Marten;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ledger.Infrastructure;

/// <summary>
/// What the server tells operators: OpenTelemetry traces, metrics and logs of HTTP (ASP.NET Core, HttpClient),
/// PostgreSQL (Npgsql), Marten, Wolverine and the ledger's own <see cref="Telemetry"/>, exported over OTLP when the
/// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; and console logs as JSON lines when asked.
/// </summary>
public static class Observability
{
    /// <summary>Instrument even without OTLP (for an exporter a host adds itself); defaults to whether OTLP is configured.</summary>
    public const string EnabledKey = "Ledger:Telemetry:Enabled";

    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Console log format: <c>simple</c> (the default), <c>json</c> (one JSON object a line) or <c>systemd</c>.</summary>
    public const string LogFormatKey = "Ledger:LogFormat";

    public const string ServiceName = "ledger";

    /// <summary>The Wolverine meter is named after the service ("Wolverine:ledger"), hence the wildcard.</summary>
    public static readonly string[] Meters = [Telemetry.Name, "Marten", "Wolverine*"];

    public static readonly string[] Sources = [Telemetry.Name, "Marten", "Wolverine"];

    public static WebApplicationBuilder AddLedgerObservability(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        UseLogFormat(builder);

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        if (!builder.Configuration.GetValue(EnabledKey, otlp))
        {
            // Nobody listens: the sources and meters stay without listeners and cost nothing.
            return builder;
        }

        // Marten traces its connections and counts appended events only when asked.
        builder.Services.ConfigureMarten(options =>
        {
            options.OpenTelemetry.TrackConnections = JasperFx.OpenTelemetry.TrackLevel.Normal;
            options.OpenTelemetry.TrackEventCounters();
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, names the service instead.
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(ServiceName, serviceVersion: typeof(Observability).Assembly.GetName().Version?.ToString());
                }
            })
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(Sources))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(Meters))
            .WithLogging(_ => { }, logging =>
            {
                logging.IncludeScopes = true;
                logging.IncludeFormattedMessage = true;
            });
        if (otlp)
        {
            // Endpoint, protocol, headers and the rest come from the standard OTEL_EXPORTER_OTLP_* settings.
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    private static void UseLogFormat(WebApplicationBuilder builder)
    {
        var format = builder.Configuration[LogFormatKey]?.Trim();
        switch (format?.ToLowerInvariant())
        {
            case null or "" or "simple":
                return;
            case "json":
                builder.Logging.AddJsonConsole(json =>
                {
                    // Scopes carry the trace and span ids, which tie a log line to its trace.
                    json.IncludeScopes = true;
                    json.UseUtcTimestamp = true;
                    json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                });
                return;
            case "systemd":
                builder.Logging.AddSystemdConsole();
                return;
            default:
                throw new InvalidOperationException($"{LogFormatKey} must be simple, json or systemd, not '{format}'.");
        }
    }
}
