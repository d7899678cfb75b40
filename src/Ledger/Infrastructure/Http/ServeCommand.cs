using System.CommandLine;
using Ledger.Cli;
using Ledger.Infrastructure;
using Ledger.Infrastructure.Postgres;

namespace Ledger.Infrastructure.Http;

public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls")
        {
            Description = "addresses to listen on, separated by ';' (default: ASPNETCORE_URLS, else http://localhost:5000); port 0 picks a free one",
            HelpName = "URL",
        };
        var command = new Command(
            "serve",
            "Serve the HTTP API, the live stream and the web page until Ctrl+C. Writers' keys: Ledger__ApiKeys__<writer>=<key> or "
            + "LEDGER_API_KEYS=\"writer=key;...\"; other settings are ASP.NET configuration, given as environment variables (Ledger__<Setting>).")
        {
            urls,
        };
        command.SetAction(async (parse, ct) =>
        {
            var connection = await LedgerContext.ConnectionAsync(ct);
            var schema = Environment.GetEnvironmentVariable("LEDGER_SCHEMA") ?? LedgerStore.DefaultSchema;
            string[] args = parse.GetValue(urls) is { } addresses ? ["--urls", addresses] : [];
            await using var app = LedgerServer.Build(args, new ServerStore(connection.ConnectionString, schema));
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
            return ExitCodes.Ok;
        });
        return command;
    }
}
