using System.Diagnostics;

namespace Ledger.Tests.Http;

/// <summary>
/// Runs the browser scripts of browser/ in headless Chromium (Debian's <c>chromium</c>, driven by playwright-core
/// from npm; .ci/run installs both).
/// </summary>
public static class Browser
{
    private static readonly string[] KnownChromiums = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    /// <summary>The Chromium to drive, or null when none is installed (the browser tests then skip).</summary>
    public static string? Chromium() =>
        Environment.GetEnvironmentVariable("LEDGER_CHROMIUM") is { Length: > 0 } configured && File.Exists(configured)
            ? configured
            : KnownChromiums.FirstOrDefault(File.Exists);

    public static string Scripts => Path.Combine(RepositoryRoot(), "tests", "Ledger.Tests", "Http", "browser");

    /// <summary>Installs the scripts' npm packages (package-lock.json) unless every one of them is there already.</summary>
    public static async Task EnsurePackagesAsync(CancellationToken ct)
    {
        string[] packages = ["playwright-core", "axe-core", "chart.js"];
        if (packages.All(p => Directory.Exists(Path.Combine(Scripts, "node_modules", p))))
        {
            return;
        }

        var install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], Scripts, [], ct);
        Assert.True(install.ExitCode == 0, $"npm ci failed: {install.Output}");
    }

    public static string RepositoryRoot()
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

    public static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] args, string folder, Dictionary<string, string> environment, CancellationToken ct)
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
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, (await output) + (await errors));
    }
}
