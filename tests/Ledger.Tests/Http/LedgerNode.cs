using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Ledger.Tests.Http;

/// <summary>
/// A real <c>ledger serve</c> process (the ledger.dll next to the tests) on 127.0.0.1 with a port of its choosing,
/// over the schema given. Writer: <c>alice</c>. Webhooks to loopback are allowed and retried after short pauses.
/// </summary>
public sealed partial class LedgerNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LedgerNode(string name, string connectionString, string schema)
    {
        Name = name;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "ledger.dll"), "serve", "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LEDGER_CONNECTION"] = connectionString;
        start.Environment["LEDGER_SCHEMA"] = schema;
        start.Environment["Ledger__ApiKeys__alice"] = LedgerServerFixture.AliceKey;
        start.Environment["Ledger__HeartbeatSeconds"] = "1";
        start.Environment["Ledger__Webhooks__AllowPrivateTargets"] = "true";
        start.Environment["Ledger__Webhooks__RetryDelaysMs"] = "200,500,1000";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Note(e.Data);
        _process.ErrorDataReceived += (_, e) => Note(e.Data);
        _process.Exited += (_, _) => _serving.TrySetException(new InvalidOperationException($"{Name} exited before serving:\n{Output}"));
    }

    public string Name { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public string Output => string.Join('\n', _output.TakeLast(80));

    public bool HasExited => _process.HasExited;

    public static async Task<LedgerNode> StartAsync(string name, string connectionString, string schema, TimeSpan within)
    {
        var node = new LedgerNode(name, connectionString, schema);
        node._process.Start();
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        try
        {
            node.BaseAddress = await node._serving.Task.WaitAsync(within, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            await node.DisposeAsync();
            throw new TimeoutException($"{name} did not serve within {within.TotalSeconds} s:\n{node.Output}");
        }

        return node;
    }

    public HttpClient Client(bool writer = true)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (writer)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", LedgerServerFixture.AliceKey);
        }

        return client;
    }

    /// <summary>As <c>kill -9</c>: no shutdown, no released locks but those PostgreSQL drops with the connections.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    private void Note(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (Serving().Match(line) is { Success: true } match)
        {
            _serving.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Ledger is serving on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Serving();
}
