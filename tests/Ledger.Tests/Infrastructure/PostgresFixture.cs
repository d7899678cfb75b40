using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Ledger.Infrastructure.Postgres;
using Ledger.Tests.Infrastructure;
using Npgsql;
using Testcontainers.PostgreSql;

[assembly: AssemblyFixture(typeof(PostgresFixture))]

namespace Ledger.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server for the whole test run. In order of preference: LEDGER_TEST_CONNECTION; a Testcontainers
/// postgres:17-alpine when a Docker engine answers; a throwaway local cluster (durability off) under /tmp, stopped and
/// deleted at the end. Tests isolate themselves with a fresh schema per test class (<see cref="NewSchemaName"/>).
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string ConnectionVariable = "LEDGER_TEST_CONNECTION";
    public const string TestDatabase = "ledger_tests";

    /// <summary>Prefix of the per-run folders of local test clusters under /tmp.</summary>
    public const string LocalRunFolderPrefix = "ledger-tests-";

    /// <summary>The data folder inside a run folder made by <see cref="CreateLocalRunFolder"/>.</summary>
    public const string LocalDataFolderName = "pgdata";

    private const string OwnerFileName = "owner.pid";

    private readonly ConcurrentDictionary<string, byte> _issuedSchemas = new(StringComparer.Ordinal);
    private PostgreSqlContainer? _container;
    private LocalPostgresCluster? _cluster;
    private string? _runFolder;

    /// <summary>Npgsql connection string of the test server.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Which server the run uses, e.g. "local PostgreSQL 15 cluster in /tmp/ledger-tests-...".</summary>
    public string Backend { get; private set; } = string.Empty;

    /// <summary>
    /// A new, unique, valid lowercase PostgreSQL schema name, <c>t_&lt;prefix&gt;_&lt;8 hex&gt;</c>: one per test class.
    /// The prefix is lowercased, characters other than a-z, 0-9 and _ become _, and it is cut to keep the name within 63 bytes.
    /// </summary>
    public string NewSchemaName(string prefix)
    {
        var cleaned = new StringBuilder();
        foreach (var c in (prefix ?? string.Empty).ToLowerInvariant())
        {
            cleaned.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        var name = cleaned.ToString().Trim('_');
        if (name.Length > 50)
        {
            name = name[..50];
        }

        while (true)
        {
            var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            var schema = name.Length == 0 ? $"t_{suffix}" : $"t_{name}_{suffix}";
            if (_issuedSchemas.TryAdd(schema, 0))
            {
                return schema;
            }
        }
    }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;

        var fromEnvironment = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            ConnectionString = fromEnvironment;
            Backend = $"{ConnectionVariable}";
        }
        else if (await TryStartContainerAsync(ct) is { } containerConnection)
        {
            ConnectionString = containerConnection;
            Backend = "Testcontainers postgres:17-alpine";
        }
        else
        {
            await StartLocalClusterAsync(ct);
        }

        Announce($"Ledger tests use PostgreSQL from {Backend}.");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        if (_cluster is not null)
        {
            try
            {
                await _cluster.StopAsync(CancellationToken.None);
            }
            finally
            {
                DeleteQuietly(_runFolder!);
            }
        }
    }

    private async Task<string?> TryStartContainerAsync(CancellationToken ct)
    {
        if (!await DockerEngineAnswersAsync(ct))
        {
            return null;
        }

        try
        {
            _container = new PostgreSqlBuilder("postgres:17-alpine").Build();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(3)); // The engine answers; allow for pulling the image once.
            await _container.StartAsync(timeout.Token);
            return _container.GetConnectionString();
        }
#pragma warning disable CA1031 // Any failure of Docker falls back to a local cluster, which reports its own errors.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Announce($"Docker answered but the PostgreSQL container did not start ({ex.GetType().Name}: {ex.Message}); using a local cluster.");
            if (_container is not null)
            {
                try
                {
                    await _container.DisposeAsync();
                }
#pragma warning disable CA1031
                catch (Exception)
#pragma warning restore CA1031
                {
                    // Best effort.
                }

                _container = null;
            }

            return null;
        }
    }

    /// <summary>A quick probe: a Docker socket exists (or DOCKER_HOST is set) and answers within 3 seconds.</summary>
    private static async Task<bool> DockerEngineAnswersAsync(CancellationToken ct)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrWhiteSpace(host))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
            var socket = new[]
                {
                    "/var/run/docker.sock",
                    runtime is null ? null : Path.Combine(runtime, "docker.sock"),
                    Path.Combine(home, ".docker", "run", "docker.sock"),
                }
                .FirstOrDefault(path => path is not null && File.Exists(path));
            if (socket is null)
            {
                return false;
            }

            host = "unix://" + socket;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            if (host.StartsWith("unix://", StringComparison.Ordinal))
            {
                using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(host["unix://".Length..]), timeout.Token);
                await socket.SendAsync("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"u8.ToArray(), SocketFlags.None, timeout.Token);
                var buffer = new byte[256];
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                return Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
            }

            if (Uri.TryCreate(host, UriKind.Absolute, out var uri) && uri.Scheme == "tcp")
            {
                using var client = new TcpClient();
                await client.ConnectAsync(uri.Host, uri.Port, timeout.Token);
                return true;
            }

            return true; // Another transport (ssh, npipe): let Testcontainers try.
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            ct.ThrowIfCancellationRequested();
            return false;
        }
    }

    private async Task StartLocalClusterAsync(CancellationToken ct)
    {
        await SweepAbandonedRunsAsync(ct);

        _runFolder = CreateLocalRunFolder("run");
        _cluster = new LocalPostgresCluster(
            Path.Combine(_runFolder, LocalDataFolderName),
            new LocalPostgresClusterOptions { FastUnsafe = true });
        try
        {
            var server = await _cluster.StartAsync(TestDatabase, ct);
            ConnectionString = server.ConnectionString;
            Backend = $"a local PostgreSQL {server.Binaries.Version} cluster on {server.Host}:{server.Port} (data in {server.DataDirectory}, deleted afterwards)";
        }
        catch
        {
            try
            {
                await _cluster.StopAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is LocalPostgresException or PostgresNotFoundException)
            {
                Announce($"Could not stop the test cluster after a failed start: {ex.Message}");
            }

            DeleteQuietly(_runFolder);
            _cluster = null;
            throw;
        }
    }

    /// <summary>
    /// Creates /tmp/ledger-tests-&lt;label&gt;-&lt;time&gt;-&lt;pid&gt;-&lt;hex&gt; for a local test cluster (in its
    /// <see cref="LocalDataFolderName"/> subfolder), marked with this process's id so that a later run removes it if
    /// this one dies before cleaning up.
    /// </summary>
    public static string CreateLocalRunFolder(string label)
    {
        var folder = Path.Combine(
            "/tmp",
            $"{LocalRunFolderPrefix}{label}-{DateTime.UtcNow:yyyyMMddHHmmss}-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            // Traversable by the postgres user when the tests run as root.
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        File.WriteAllText(Path.Combine(folder, OwnerFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return folder;
    }

    /// <summary>Deletes a run folder, reporting rather than throwing when it cannot.</summary>
    public static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Announce($"Could not delete {folder}: {ex.Message}");
        }
    }

    /// <summary>Stops and deletes local test clusters left by runs whose process is gone (killed or crashed).</summary>
    private static async Task SweepAbandonedRunsAsync(CancellationToken ct)
    {
        if (!Directory.Exists("/tmp"))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories("/tmp", LocalRunFolderPrefix + "*"))
        {
            var ownerFile = Path.Combine(folder, OwnerFileName);
            if (!File.Exists(ownerFile)
                || !int.TryParse(await File.ReadAllTextAsync(ownerFile, ct), CultureInfo.InvariantCulture, out var owner)
                || IsAlive(owner))
            {
                continue;
            }

            try
            {
                await new LocalPostgresCluster(Path.Combine(folder, LocalDataFolderName)).StopAsync(ct);
            }
            catch (Exception ex) when (ex is LocalPostgresException or PostgresNotFoundException or IOException)
            {
                Announce($"Could not stop the abandoned test cluster in {folder}: {ex.Message}");
                continue;
            }

            DeleteQuietly(folder);
        }

        static bool IsAlive(int pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    private static void Announce(string message)
    {
        Console.Error.WriteLine(message);
        TestContext.Current.SendDiagnosticMessage(message);
    }
}
