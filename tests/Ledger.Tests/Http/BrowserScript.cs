using System.Diagnostics;

namespace Ledger.Tests.Http;

/// <summary>
/// Runs one of the node scripts under browser/ against a running server, in Debian's headless Chromium driven by
/// playwright-core (installed with npm ci on first use). Each script prints one JSON line ending in "ok": true.
/// </summary>
internal static class BrowserScript
{
    private static readonly string[] KnownChromiums = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    /// <summary>The Chromium to drive, or null (the caller skips) when none is installed.</summary>
    public static string? Chromium =>
        Environment.GetEnvironmentVariable("LEDGER_CHROMIUM") is { Length: > 0 } configured ? configured : KnownChromiums.FirstOrDefault(File.Exists);

    public static string RepositoryRoot
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Ledger.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException("Ledger.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static async Task<string> RunAsync(string script, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var folder = Path.Combine(RepositoryRoot, "tests", "Ledger.Tests", "Http", "browser");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "playwright-core")))
        {
            var install = await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, new Dictionary<string, string>(), ct);
            Assert.True(install.ExitCode == 0, $"npm ci failed: {install.Output}");
        }

        var env = new Dictionary<string, string>(environment) { ["LEDGER_CHROMIUM"] = Chromium! };
        var run = await RunProcessAsync("node", [script, .. args], folder, env, ct);
        TestContext.Current.SendDiagnosticMessage(run.Output);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("\"ok\":true", run.Output, StringComparison.Ordinal);
        return run.Output;
    }

    public static async Task<(int ExitCode, string Output, string Errors)> RunProcessWithErrorsAsync(string program, IReadOnlyList<string> args, string folder, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await errors);
    }

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(string program, IReadOnlyList<string> args, string folder, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var (code, output, errors) = await RunProcessWithErrorsAsync(program, args, folder, environment, ct);
        return (code, output + errors);
    }
}
