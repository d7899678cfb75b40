using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Cli;

/// <summary>What a <c>ledger</c> process printed and how it exited.</summary>
public sealed record LedgerRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs the built <c>ledger</c> (the ledger.dll next to the tests) as a process, the way a user does. The child
/// inherits none of LEDGER_CONNECTION, LEDGER_SCHEMA, LEDGER_DEBUG and LEDGER_HOME from the test run: each test
/// says which it sets, so that none starts or touches a private PostgreSQL by accident.
/// </summary>
public static class LedgerProcess
{
    private static readonly string[] Cleared = ["LEDGER_CONNECTION", "LEDGER_SCHEMA", "LEDGER_DEBUG", "LEDGER_HOME"];

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "ledger.dll");

    public static Task<LedgerRun> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        RunFileAsync(Dll, environment, TimeSpan.FromMinutes(2), arguments);

    /// <summary>Runs any .dll next to the tests (e.g. the bench) with <paramref name="arguments"/>; killed after <paramref name="timeout"/>.</summary>
    public static async Task<LedgerRun> RunFileAsync(string dll, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, params string[] arguments)
    {
        var variables = Cleared.ToDictionary(name => name, string? (_) => null);
        variables["COLUMNS"] = "200";
        variables["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        var run = await ChildProcess.RunAsync(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            [dll, .. arguments],
            AppContext.BaseDirectory,
            variables,
            timeout,
            ct: TestContext.Current.CancellationToken);
        return new LedgerRun(run.ExitCode, run.Stdout, run.Stderr);
    }
}
