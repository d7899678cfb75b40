using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Http;

/// <summary>
/// Runs the scripts of browser/ in headless Chromium (Debian's <c>chromium</c>, driven by playwright-core from npm;
/// .ci/run installs both, and the first run here installs the npm packages if they are missing). Each script prints
/// one JSON line ending in "ok": true.
/// </summary>
public static class Browser
{
    private static readonly string[] KnownChromiums = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    private static readonly string[] Packages = ["playwright-core", "axe-core", "chart.js"];

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    public static string Scripts => Path.Combine(Repository.Root, "tests", "Ledger.Tests", "Http", "browser");

    /// <summary>The Chromium to drive (LEDGER_CHROMIUM if that file exists, else Debian's), or null when none is installed.</summary>
    public static string? Chromium() =>
        Environment.GetEnvironmentVariable("LEDGER_CHROMIUM") is { Length: > 0 } configured && File.Exists(configured)
            ? configured
            : KnownChromiums.FirstOrDefault(File.Exists);

    /// <summary>Skips the calling test when no Chromium is installed; a browser test is the only thing that needs it.</summary>
    public static void SkipWithoutChromium()
    {
        if (Chromium() is null)
        {
            Assert.Skip("Chromium is not installed (apt-get install chromium, as .ci/run does); the browser test needs it.");
        }
    }

    /// <summary>
    /// Where a browser test leaves its screenshot: TestResults/<paramref name="name"/> (git-ignored, so a test run
    /// leaves the working tree clean), or the path in <paramref name="variable"/> relative to the repository, e.g.
    /// docs/… to refresh the documentation's picture. Its folder exists.
    /// </summary>
    public static string Screenshot(string name, string? variable = null)
    {
        var path = variable is not null && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } wanted
            ? Path.GetFullPath(wanted, Repository.Root)
            : Path.Combine(Repository.Root, "TestResults", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>
    /// Runs <paramref name="script"/> with node in browser/ (LEDGER_CHROMIUM set for it), shows its output in the test
    /// log, and fails the test unless it exits 0 and reports "ok": true. Returns what it printed.
    /// </summary>
    public static async Task<string> RunScriptAsync(string script, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment, CancellationToken ct)
    {
        var chromium = Chromium() ?? throw new InvalidOperationException("No Chromium: call SkipWithoutChromium first.");
        await EnsurePackagesAsync(ct);
        var variables = new Dictionary<string, string?> { ["LEDGER_CHROMIUM"] = chromium };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        var run = await ChildProcess.RunAsync("node", [script, .. args], Scripts, variables, ScriptTimeout, ct: ct);
        TestContext.Current.SendDiagnosticMessage(run.Output);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("\"ok\":true", run.Output, StringComparison.Ordinal);
        return run.Output;
    }

    /// <summary>Installs the scripts' npm packages (package-lock.json) unless every one of them is there already.</summary>
    private static async Task EnsurePackagesAsync(CancellationToken ct)
    {
        if (Packages.All(p => Directory.Exists(Path.Combine(Scripts, "node_modules", p))))
        {
            return;
        }

        var install = await ChildProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], Scripts, null, ScriptTimeout, ct: ct);
        Assert.True(install.ExitCode == 0, $"npm ci failed: {install.Output}");
    }
}
