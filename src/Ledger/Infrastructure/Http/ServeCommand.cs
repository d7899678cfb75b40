using System.CommandLine;
using Ledger.Infrastructure;
using Ledger.Infrastructure.Postgres;

namespace Ledger.Infrastructure.Http;

public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command(
            "serve",
            "Serve the HTTP API, the live stream and the web page. The address is set the ASP.NET way: --urls http://127.0.0.1:5080 "
            + "or ASPNETCORE_URLS (default http://localhost:5000). Writers' keys: Ledger__ApiKeys__<writer>=<key> or LEDGER_API_KEYS=\"writer=key;...\".")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parse, ct) =>
        {
            var connection = await LedgerConnection.ResolveAsync(null, Console.Error, ct);
            var schema = Environment.GetEnvironmentVariable("LEDGER_SCHEMA") ?? LedgerStore.DefaultSchema;
            await using var app = LedgerServer.Build([.. parse.UnmatchedTokens], new ServerStore(connection.ConnectionString, schema));
            await app.StartAsync(ct);
            if (app.Services.GetRequiredService<ApiKeyOptions>().Names.All(k => k.Role == ApiRoles.Reader))
            {
                await Console.Error.WriteLineAsync("No writer keys are configured, so every write is refused: set Ledger__ApiKeys__<writer>=<key> or LEDGER_API_KEYS=\"writer=key\".");
            }

            foreach (var address in app.Urls)
            {
                await Console.Error.WriteLineAsync($"Ledger is serving on {address} (API under /api, reference at /docs, page at /).");
            }

            // Ctrl+C or SIGTERM: the host's console lifetime or the command line's cancellation, whichever comes first.
            try
            {
                await app.WaitForShutdownAsync(ct);
            }
            catch (OperationCanceledException)
            {
            }

            await app.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
