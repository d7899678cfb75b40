using JasperFx.Events.Daemon;
using Ledger.Recording;
using Ledger.Infrastructure;
using Ledger.Subscriptions;
using Ledger.Web;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Scalar.AspNetCore;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Ledger.Infrastructure.Http;

/// <summary>Where the server keeps its data: the resolved PostgreSQL and the schema of the ledger (and of Wolverine's outbox).</summary>
public sealed record ServerStore(string ConnectionString, string Schema);

/// <summary>
/// Ledger as a service: Wolverine HTTP endpoints over the same Marten store, queries and write path as the command
/// line, the async daemon (projections and the development feed), OpenAPI at <c>/openapi/v1.json</c>, the API
/// reference at <c>/docs</c> and the web page at <c>/</c>.
/// </summary>
public static class LedgerServer
{
    public static WebApplication Build(string[] args, ServerStore store, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(LedgerServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestBody.MaxBodyBytes);
        builder.Logging.AddFilter("Wolverine", LogLevel.Warning)
            .AddFilter("Marten", LogLevel.Warning)
            .AddFilter("JasperFx", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.AddLedgerObservability();

        var partitioning = Partitioning.From(builder.Configuration);
        builder.AddDevelopmentStreams(store.ConnectionString, store.Schema, partitioning);
        builder.Services.AddSingleton<RecordedMessageLog>();
        // Sources and negotiation registries the write path decides against, kept between requests.
        builder.Services.AddSingleton<RegistryCache>();
        builder.AddLedgerWebhooks();

        builder.UseWolverine(opts =>
        {
            opts.ApplicationAssembly = typeof(LedgerServer).Assembly;
            opts.UseRuntimeCompilation();
            Nodes.ConfigureDurability(opts.Durability);
            opts.Policies.UseDurableLocalQueues();
            opts.PublishDevelopmentsToBroker(builder.Configuration);
        });

        builder.Services.AddMarten(options =>
            {
                options.ConfigureLedger(store.ConnectionString, store.Schema, partitioning: partitioning);
                options.UseHotColdDaemon();
            })
            .IntegrateWithWolverine(integration =>
            {
                integration.MessageStorageSchemaName = store.Schema;
                // Partitioned over several databases, Wolverine keeps its node registry in the main one.
                integration.MainDatabaseConnectionString = partitioning.IsPartitioned ? store.ConnectionString : null;
            })
            .AddAsyncDaemon(DaemonMode.HotCold)
            .SubscribeToEvents(new DevelopmentFeed());

        builder.Services.AddWolverineHttp();
        builder.Services.AddProblemDetails();
        builder.AddDatabaseOutageAnswers();
        builder.AddLedgerHealth();
        builder.AddLedgerRateLimiting();
        builder.Services.AddOpenApi(options => OpenApiDocs.Configure(options));
        // The OpenAPI schemas follow the answers' own JSON shape: enums as the kebab-case strings the answers carry.
        builder.Services.ConfigureHttpJsonOptions(json => OpenApiDocs.UseAnswerShape(json.SerializerOptions));

        var keys = ApiKeyOptions.From(builder.Configuration);
        builder.Services.AddSingleton(keys);
        builder.Services.AddAuthentication(ApiKeyHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiRoles.WritePolicy, policy => policy.RequireAuthenticatedUser().RequireRole(ApiRoles.Writer))
            .AddPolicy(ApiRoles.AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(ApiRoles.Admin))
            .AddPolicy(ApiRoles.ReadPolicy, policy =>
            {
                if (keys.RequireKeyForReads)
                {
                    policy.RequireAuthenticatedUser();
                }
                else
                {
                    policy.RequireAssertion(_ => true);
                }
            });

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapLedgerHealth();
        WebPage.Map(app);
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", OpenApiDocs.ConfigureReference);
        app.MapWolverineEndpoints(http =>
        {
            http.ConfigureEndpoints(chain =>
            {
                var writes = chain.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
                    || chain.RoutePattern?.RawText?.StartsWith("/api/webhooks", StringComparison.Ordinal) == true;
                chain.Metadata.RequireAuthorization(writes ? ApiRoles.WritePolicy : ApiRoles.ReadPolicy);
            });
        });
        return app;
    }
}
