using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Broker;

/// <summary>
/// A private RabbitMQ node run as the current user from Debian's <c>rabbitmq-server</c> package: its own node name,
/// Erlang cookie, epmd and ports, all on 127.0.0.1, its data in a folder under /tmp that is deleted afterwards. The
/// system's own RabbitMQ service, if any, is neither used nor touched. <see cref="SkipReason"/> says why there is
/// none when the package is absent.
/// </summary>
public sealed class RabbitMqBroker : IAsyncDisposable
{
    /// <summary>Where Debian's package keeps the scripts that run a node as the calling user (those in /usr/sbin switch to the rabbitmq user).</summary>
    public const string DebianScripts = "/usr/lib/rabbitmq/bin";

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _folder;
    private readonly string _scripts;
    private readonly Dictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private Process? _server;

    private RabbitMqBroker(string scripts, string folder, string node, int amqpPort, int distPort, int epmdPort)
    {
        _scripts = scripts;
        _folder = folder;
        Node = node;
        AmqpPort = amqpPort;
        var home = Directory.CreateDirectory(Path.Combine(folder, "home")).FullName;
        var config = Path.Combine(folder, "rabbitmq.conf");
        File.WriteAllText(config, "loopback_users.guest = true\n");
        var plugins = Path.Combine(folder, "enabled_plugins");
        File.WriteAllText(plugins, "[].\n");
        _environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["RABBITMQ_NODENAME"] = node,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = amqpPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_MNESIA_BASE"] = Directory.CreateDirectory(Path.Combine(folder, "mnesia")).FullName,
            ["RABBITMQ_LOG_BASE"] = Directory.CreateDirectory(Path.Combine(folder, "log")).FullName,
            ["RABBITMQ_CONFIG_FILE"] = config,
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(folder, "advanced.config"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = plugins,
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(folder, "rabbitmq-env.conf"),
        };
    }

    public string Node { get; }

    public int AmqpPort { get; }

    public Uri AmqpUri => new($"amqp://guest:guest@127.0.0.1:{AmqpPort}/");

    /// <summary>The scripts that run a node, or null: Debian's package, else a folder on PATH holding both scripts outside /usr/sbin.</summary>
    public static string? FindScripts()
    {
        static bool Has(string folder) => File.Exists(Path.Combine(folder, "rabbitmq-server")) && File.Exists(Path.Combine(folder, "rabbitmqctl"));
        if (Has(DebianScripts))
        {
            return DebianScripts;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(folder => Has(folder) && !folder.EndsWith("/sbin", StringComparison.Ordinal));
    }

    /// <summary>Why the broker tests cannot run here, or null when they can.</summary>
    public static string? SkipReason() =>
        OperatingSystem.IsWindows() ? "The RabbitMQ tests start a node with the Unix scripts of Debian's rabbitmq-server package."
        : FindScripts() is null ? $"rabbitmq-server is not installed (no {DebianScripts}/rabbitmq-server): apt-get install rabbitmq-server, as .ci/run does."
        : null;

    /// <summary>Starts a node and waits until it accepts connections; throws with the node's output when it does not within <see cref="StartTimeout"/>.</summary>
    public static async Task<RabbitMqBroker> StartAsync(CancellationToken ct)
    {
        var scripts = FindScripts() ?? throw new InvalidOperationException(SkipReason());
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"ledger-rabbitmq-{id}")).FullName;
        var broker = new RabbitMqBroker(scripts, folder, $"ledger-test-{id}@localhost", FreePort(), FreePort(), FreePort());
        try
        {
            await broker.StartServerAsync(ct);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    private async Task StartServerAsync(CancellationToken ct)
    {
        var start = new ProcessStartInfo(Path.Combine(_scripts, "rabbitmq-server"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        _server = Process.Start(start) ?? throw new InvalidOperationException("rabbitmq-server did not start.");
        _server.OutputDataReceived += (_, e) => Keep(e.Data);
        _server.ErrorDataReceived += (_, e) => Keep(e.Data);
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        var clock = Stopwatch.StartNew();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"rabbitmq-server exited with {_server.ExitCode} while starting:\n{Output()}");
            }

            var (code, _) = await CtlAsync(["await_startup", "--timeout", "5"], TimeSpan.FromSeconds(15), ct);
            if (code == 0)
            {
                return;
            }

            if (clock.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"RabbitMQ node {Node} did not start within {StartTimeout.TotalSeconds:0} s:\n{Output()}");
            }

            await Task.Delay(250, ct);
        }
    }

    /// <summary>Takes the broker off the network (the AMQP listener closes, connections drop), keeping its exchanges and queues.</summary>
    public Task StopAppAsync(CancellationToken ct) => CheckedCtlAsync(["stop_app"], ct);

    /// <summary>Brings the broker back; returns once it accepts connections again.</summary>
    public Task StartAppAsync(CancellationToken ct) => CheckedCtlAsync(["start_app"], ct);

    private async Task CheckedCtlAsync(string[] arguments, CancellationToken ct)
    {
        var (code, output) = await CtlAsync(arguments, TimeSpan.FromSeconds(45), ct);
        if (code != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} answered {code}: {output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_server is { HasExited: false })
            {
                await CtlAsync(["stop"], TimeSpan.FromSeconds(30), CancellationToken.None);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _server.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    // Killed below.
                }

                if (!_server.HasExited)
                {
                    _server.Kill(entireProcessTree: true);
                }
            }

            // The node started its own epmd on a private port; it outlives the node unless told to stop.
            await RunAsync("epmd", ["-kill"], TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        finally
        {
            _server?.Dispose();
            PostgresFixture.DeleteQuietly(_folder);
        }
    }

    private Task<(int Code, string Output)> CtlAsync(string[] arguments, TimeSpan timeout, CancellationToken ct) =>
        RunAsync(Path.Combine(_scripts, "rabbitmqctl"), ["-n", Node, .. arguments], timeout, ct);

    /// <summary>Runs a RabbitMQ script; one that is missing or hangs is a failed run (-1 and why), not an exception.</summary>
    private async Task<(int Code, string Output)> RunAsync(string program, string[] arguments, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            var run = await ChildProcess.RunAsync(program, arguments, null, _environment.ToDictionary(e => e.Key, string? (e) => e.Value), timeout, ct: ct);
            return (run.ExitCode, run.Output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
        catch (TimeoutException e)
        {
            return (-1, e.Message);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
