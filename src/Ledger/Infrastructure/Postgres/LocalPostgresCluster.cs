using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Ledger.Infrastructure.Postgres;

/// <summary>How a <see cref="LocalPostgresCluster"/> finds its binaries and runs its server.</summary>
public sealed record LocalPostgresClusterOptions
{
    /// <summary>Folder holding initdb, pg_ctl and postgres. Checked before LEDGER_PG_BIN, PATH and the usual install folders.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>
    /// Turns off durability (fsync, synchronous_commit, full_page_writes) and syncing at initdb.
    /// Only for throwaway test clusters: a crash can corrupt such a cluster.
    /// </summary>
    public bool FastUnsafe { get; init; }

    public int MaxConnections { get; init; } = 200;

    /// <summary>How long to wait for the server to accept connections.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for another process that is initialising or starting the same cluster.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>Where the PostgreSQL server binaries are, and which version they are.</summary>
public sealed record PostgresBinaries(string Directory, string Version)
{
    /// <summary>The major version, e.g. "15" for 15.14.</summary>
    public string MajorVersion => Version.Split('.')[0];

    public string InitDb => Path.Combine(Directory, "initdb");

    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    public string Postgres => Path.Combine(Directory, "postgres");
}

/// <summary>A running local server, as returned by <see cref="LocalPostgresCluster.StartAsync"/>.</summary>
/// <param name="ConnectionString">Npgsql connection string for <paramref name="Database"/> (TCP, user postgres, no password).</param>
/// <param name="DataDirectory">The data folder actually used (differs from the requested one when <paramref name="FallbackReason"/> is set).</param>
/// <param name="StartedNow">True when this call started the server, false when it was already running and is reused.</param>
/// <param name="FallbackReason">Why a folder under /tmp is used instead of the requested one; null when it is not.</param>
public sealed record LocalPostgresServer(
    string ConnectionString,
    string Host,
    int Port,
    string Database,
    string DataDirectory,
    PostgresBinaries Binaries,
    bool StartedNow,
    string? FallbackReason);

/// <summary>A local cluster as <see cref="LocalPostgresCluster.StatusAsync"/> found it.</summary>
/// <param name="DataDirectory">The data folder (the fallback under /tmp when that is the one initialised).</param>
/// <param name="Exists">Whether the cluster has been initialised there.</param>
/// <param name="Port">The port its server listens on; null when it is not running.</param>
/// <param name="Bytes">The size of the data folder; null when it does not exist or cannot be read.</param>
public sealed record LocalPostgresStatus(string DataDirectory, bool Exists, int? Port, long? Bytes)
{
    public bool Running => Port is not null;
}

/// <summary>No PostgreSQL server binaries were found; the message says how to get PostgreSQL.</summary>
public sealed class PostgresNotFoundException : Exception
{
    public PostgresNotFoundException()
        : this(BuildMessage(null))
    {
    }

    public PostgresNotFoundException(string message)
        : base(message)
    {
    }

    public PostgresNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static string BuildMessage(string? whereLooked) =>
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found"
        + (whereLooked is null ? "." : $" ({whereLooked}).")
        + " Ledger needs a PostgreSQL server. Any one of these works:"
        + Environment.NewLine
        + "  - install PostgreSQL: `apt-get install -y postgresql` (Debian/Ubuntu) or `brew install postgresql@17` (macOS);"
        + " Ledger then runs a private server by itself (set LEDGER_PG_BIN to the folder holding initdb if it is elsewhere);"
        + Environment.NewLine
        + "  - run `docker compose up -d` in the repository (it uses docker-compose.yml), then"
        + " `export LEDGER_CONNECTION=\"Host=localhost;Port=5432;Username=ledger;Password=ledger;Database=ledger\"`;"
        + Environment.NewLine
        + "  - set LEDGER_CONNECTION to the Npgsql connection string of any PostgreSQL server.";
}

/// <summary>Failure to initialise, start or reach a local PostgreSQL cluster; the message carries tool output and the server log's tail.</summary>
public sealed class LocalPostgresException : Exception
{
    public LocalPostgresException()
    {
    }

    public LocalPostgresException(string message)
        : base(message)
    {
    }

    public LocalPostgresException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A PostgreSQL cluster in a local data folder, run with the machine's PostgreSQL binaries:
/// initialised when absent (trust authentication, user postgres, UTF8), started on a free loopback port when not running,
/// reused when already running. When the current process is root the binaries run as the postgres user (via runuser),
/// because PostgreSQL refuses to run as root.
/// </summary>
public sealed partial class LocalPostgresCluster
{
    public const string BinDirectoryVariable = "LEDGER_PG_BIN";

    /// <summary>File in the data folder holding the port the server was last started on.</summary>
    public const string PortFileName = "ledger.port";

    /// <summary>The server's log file in the data folder.</summary>
    public const string LogFileName = "ledger-server.log";

    public const string Host = "127.0.0.1";

    private const string PostgresUser = "postgres";
    private const long MaxLogBytes = 10 * 1024 * 1024;
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(2);

    private string? _dataDirectory;
    private string? _fallbackReason;

    public LocalPostgresCluster(string dataDirectory, LocalPostgresClusterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        RequestedDataDirectory = Path.GetFullPath(dataDirectory);
        Options = options ?? new LocalPostgresClusterOptions();
    }

    /// <summary>The data folder asked for; see <see cref="LocalPostgresServer.DataDirectory"/> for the one used.</summary>
    public string RequestedDataDirectory { get; }

    public LocalPostgresClusterOptions Options { get; }

    private static bool RunAsPostgresUser => !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess;

    /// <summary>
    /// The folder used instead of <paramref name="requestedDataDirectory"/> when the postgres user cannot reach it:
    /// /tmp/ledger-pg-&lt;first 8 hex digits of the SHA-256 of the full path&gt;.
    /// </summary>
    public static string FallbackDataDirectory(string requestedDataDirectory)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(requestedDataDirectory)));
        return Path.Combine("/tmp", "ledger-pg-" + Convert.ToHexStringLower(hash)[..8]);
    }

    /// <summary>
    /// Finds initdb, pg_ctl and postgres: in <paramref name="binDirectoryOverride"/> if given, else in LEDGER_PG_BIN if set
    /// (an override that lacks them is an error, not skipped), else on PATH, else in the highest-versioned
    /// /usr/lib/postgresql/*/bin (and Homebrew/RHEL equivalents).
    /// </summary>
    /// <exception cref="PostgresNotFoundException">No binaries were found.</exception>
    public static PostgresBinaries LocateBinaries(string? binDirectoryOverride = null)
    {
        if (!string.IsNullOrWhiteSpace(binDirectoryOverride))
        {
            return FromOverride(binDirectoryOverride, "the configured bin folder");
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(BinDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return FromOverride(fromEnvironment, BinDirectoryVariable);
        }

        foreach (var candidate in CandidateDirectories())
        {
            if (HasServerBinaries(candidate))
            {
                return new PostgresBinaries(candidate, ReadVersion(candidate));
            }
        }

        throw new PostgresNotFoundException(PostgresNotFoundException.BuildMessage(
            "looked on PATH and in /usr/lib/postgresql/*/bin; set LEDGER_PG_BIN to point elsewhere"));

        static PostgresBinaries FromOverride(string directory, string source)
        {
            var full = Path.GetFullPath(directory);
            if (!HasServerBinaries(full))
            {
                throw new PostgresNotFoundException(PostgresNotFoundException.BuildMessage(
                    $"{source} is {full}, which does not hold initdb, pg_ctl and postgres"));
            }

            return new PostgresBinaries(full, ReadVersion(full));
        }
    }

    /// <summary>
    /// Initialises the cluster if absent, starts it if not running (or reuses the running server), waits until it accepts
    /// connections, creates <paramref name="database"/> if missing and returns how to connect.
    /// Safe to call from several processes at once: initialisation and start happen under a lock file.
    /// </summary>
    /// <exception cref="PostgresNotFoundException">No PostgreSQL binaries were found.</exception>
    /// <exception cref="LocalPostgresException">The cluster could not be initialised, started or reached.</exception>
    public async Task<LocalPostgresServer> StartAsync(string database = "postgres", CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        var binaries = LocateBinaries(Options.BinDirectory);
        var dataDirectory = await ResolveDataDirectoryAsync(ct);

        await using var fileLock = await AcquireLockAsync(dataDirectory + ".lock", Options.LockTimeout, ct);

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await InitialiseAsync(binaries, dataDirectory, ct);
        }

        var startedNow = false;
        int port;
        var runningPort = await RunningPortAsync(binaries, dataDirectory, ct);
        if (runningPort is { } existing)
        {
            port = existing;
            await WaitUntilReadyAsync(dataDirectory, port, "an already running server", ct);
        }
        else
        {
            port = await StartServerAsync(binaries, dataDirectory, ct);
            startedNow = true;
        }

        await EnsureDatabaseAsync(port, database, ct);

        return new LocalPostgresServer(
            BuildConnectionString(port, database),
            Host,
            port,
            database,
            dataDirectory,
            binaries,
            startedNow,
            _fallbackReason);
    }

    /// <summary>
    /// Where the cluster's data is, whether it exists, whether its server runs and on which port, and the data's size;
    /// starts nothing.
    /// </summary>
    /// <exception cref="PostgresNotFoundException">The cluster exists but no PostgreSQL binaries were found to ask it.</exception>
    public async Task<LocalPostgresStatus> StatusAsync(CancellationToken ct = default)
    {
        var dataDirectory = ExistingDataDirectory();
        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            return new LocalPostgresStatus(dataDirectory, Exists: false, Port: null, Bytes: null);
        }

        var port = await RunningPortAsync(LocateBinaries(Options.BinDirectory), dataDirectory, ct);
        return new LocalPostgresStatus(dataDirectory, Exists: true, port, SizeOf(dataDirectory));
    }

    /// <summary>Stops the server (pg_ctl stop -m fast) if it is running; does nothing otherwise.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        var dataDirectory = ExistingDataDirectory();
        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            return;
        }

        var binaries = LocateBinaries(Options.BinDirectory);
        if (await RunningPortAsync(binaries, dataDirectory, ct) is null)
        {
            return;
        }

        var result = await RunAsync(binaries.PgCtl, ["stop", "-D", dataDirectory, "-m", "fast", "-w", "-t", "60"], ToolTimeout, ct);
        if (result.ExitCode != 0 && await RunningPortAsync(binaries, dataDirectory, ct) is not null)
        {
            throw new LocalPostgresException(
                $"pg_ctl stop failed for {dataDirectory} (exit {result.ExitCode}).{Environment.NewLine}{result.Output}");
        }
    }

    /// <summary>The data folder this cluster uses: the one it started in, else the requested one or its fallback, whichever was initialised.</summary>
    private string ExistingDataDirectory() =>
        _dataDirectory ?? (File.Exists(Path.Combine(RequestedDataDirectory, "PG_VERSION")) || !File.Exists(Path.Combine(FallbackDataDirectory(RequestedDataDirectory), "PG_VERSION"))
            ? RequestedDataDirectory
            : FallbackDataDirectory(RequestedDataDirectory));

    private static long? SizeOf(string directory)
    {
        try
        {
            return new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string BuildConnectionString(int port, string database, bool probe = false)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = port,
            Username = PostgresUser,
            Database = database,
        };
        if (probe)
        {
            builder.Pooling = false;
            builder.Timeout = 3;
        }

        return builder.ConnectionString;
    }

    private async Task<string> ResolveDataDirectoryAsync(CancellationToken ct)
    {
        if (_dataDirectory is not null)
        {
            return _dataDirectory;
        }

        var requested = RequestedDataDirectory;
        if (RunAsPostgresUser && !await PostgresUserCanReachAsync(requested, ct))
        {
            var fallback = FallbackDataDirectory(requested);
            _fallbackReason = $"the postgres user cannot reach {requested}";
            requested = fallback;
        }

        CreateTraversableDirectory(Path.GetDirectoryName(requested)!);
        _dataDirectory = requested;
        return requested;
    }

    /// <summary>Whether the postgres user can traverse the nearest existing folder on the way to <paramref name="path"/>.</summary>
    private static async Task<bool> PostgresUserCanReachAsync(string path, CancellationToken ct)
    {
        var existing = path;
        while (!Directory.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing);
            if (existing is null)
            {
                return false;
            }
        }

        var result = await RunAsync("test", ["-x", existing], ToolTimeout, ct);
        return result.ExitCode == 0;
    }

    /// <summary>Creates a folder and any missing parents with mode 755, so that the postgres user can pass through them.</summary>
    private static void CreateTraversableDirectory(string path)
    {
        var missing = new Stack<string>();
        for (var current = path; current is not null && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            missing.Push(current);
        }

        while (missing.TryPop(out var directory))
        {
            Directory.CreateDirectory(directory);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(
                    directory,
                    UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                    | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
        }
    }

    private async Task InitialiseAsync(PostgresBinaries binaries, string dataDirectory, CancellationToken ct)
    {
        if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
        {
            throw new LocalPostgresException(
                $"{dataDirectory} exists, is not empty and is not a PostgreSQL data folder (no PG_VERSION). "
                + "Empty or remove it, or choose another folder.");
        }

        Directory.CreateDirectory(dataDirectory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (RunAsPostgresUser)
        {
            var chown = await RunProcessAsync("chown", [PostgresUser, dataDirectory], asPostgres: false, ToolTimeout, ct);
            if (chown.ExitCode != 0)
            {
                throw new LocalPostgresException(
                    $"Could not give {dataDirectory} to the postgres user (running as root, PostgreSQL refuses to run as root; "
                    + $"is there a 'postgres' user?).{Environment.NewLine}{chown.Output}");
            }
        }

        List<string> arguments =
        [
            "-D", dataDirectory,
            "-U", PostgresUser,
            "--auth=trust",
            "-E", "UTF8",
            "--no-locale",
        ];
        if (int.TryParse(binaries.MajorVersion, CultureInfo.InvariantCulture, out var major) && major >= 14)
        {
            arguments.Add("--no-instructions");
        }

        if (Options.FastUnsafe)
        {
            arguments.Add("--no-sync");
        }

        var result = await RunAsync(binaries.InitDb, arguments, ToolTimeout, ct);
        if (result.ExitCode != 0)
        {
            throw new LocalPostgresException(
                $"initdb failed for {dataDirectory} (exit {result.ExitCode}).{Environment.NewLine}{result.Output}");
        }
    }

    /// <summary>The port of the server running on this data folder, or null when none runs.</summary>
    private static async Task<int?> RunningPortAsync(PostgresBinaries binaries, string dataDirectory, CancellationToken ct)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        // pg_ctl status: 0 running, 3 not running (stale postmaster.pid), 4 no data folder.
        var status = await RunAsync(binaries.PgCtl, ["status", "-D", dataDirectory], ToolTimeout, ct);
        if (status.ExitCode != 0)
        {
            return null;
        }

        // postmaster.pid line 4 is the port; fall back to the port file if the server is still writing it.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (ReadPort(pidFile, lineIndex: 3) is { } fromPidFile)
            {
                return fromPidFile;
            }

            await Task.Delay(100, ct);
        }

        return ReadPort(Path.Combine(dataDirectory, PortFileName), lineIndex: 0);
    }

    private static int? ReadPort(string file, int lineIndex)
    {
        try
        {
            var lines = File.ReadAllLines(file);
            return lines.Length > lineIndex
                   && int.TryParse(lines[lineIndex].Trim(), CultureInfo.InvariantCulture, out var port)
                   && port is > 0 and < 65536
                ? port
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task<int> StartServerAsync(PostgresBinaries binaries, string dataDirectory, CancellationToken ct)
    {
        var logFile = Path.Combine(dataDirectory, LogFileName);
        RotateLog(logFile);

        var preferred = ReadPort(Path.Combine(dataDirectory, PortFileName), lineIndex: 0);
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var port = preferred is { } p && IsPortFree(p) ? p : FreeLoopbackPort();
            preferred = null;
            await File.WriteAllTextAsync(Path.Combine(dataDirectory, PortFileName), port.ToString(CultureInfo.InvariantCulture) + "\n", ct);

            var logLengthBefore = File.Exists(logFile) ? new FileInfo(logFile).Length : 0;
            var timeoutSeconds = Math.Max(1, (int)Options.StartTimeout.TotalSeconds);
            var result = await RunAsync(
                binaries.PgCtl,
                ["start", "-D", dataDirectory, "-l", logFile, "-w", "-t", timeoutSeconds.ToString(CultureInfo.InvariantCulture), "-o", ServerOptions(dataDirectory, port)],
                Options.StartTimeout + TimeSpan.FromSeconds(30),
                ct);
            if (result.ExitCode == 0)
            {
                await WaitUntilReadyAsync(dataDirectory, port, "the server just started", ct);
                return port;
            }

            var newLog = ReadLogSince(logFile, logLengthBefore);
            if (attempt < attempts && newLog.Contains("already in use", StringComparison.OrdinalIgnoreCase))
            {
                continue; // Another process took the port between choosing and binding it.
            }

            throw new LocalPostgresException(
                $"pg_ctl start failed for {dataDirectory} on port {port} (exit {result.ExitCode}).{Environment.NewLine}"
                + result.Output + Environment.NewLine
                + LogTail(logFile));
        }
    }

    private string ServerOptions(string dataDirectory, int port)
    {
        // pg_ctl hands these to /bin/sh, so the socket folder is single-quoted.
        // Unix sockets live in the data folder (the postgres user owns it) unless its path is too long for a socket
        // (about 107 bytes), in which case only TCP is served.
        var socketDirectory = Encoding.UTF8.GetByteCount(dataDirectory) + "/.s.PGSQL.65535".Length < 100 ? dataDirectory : string.Empty;
        var options = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"-p {port} -c listen_addresses={Host} ")
            .Append("-k '").Append(socketDirectory.Replace("'", "'\\''", StringComparison.Ordinal)).Append("' ")
            .Append(CultureInfo.InvariantCulture, $"-c max_connections={Options.MaxConnections}");
        if (Options.FastUnsafe)
        {
            options.Append(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }

        return options.ToString();
    }

    private async Task WaitUntilReadyAsync(string dataDirectory, int port, string what, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < Options.StartTimeout)
        {
            try
            {
                await using var connection = new NpgsqlConnection(BuildConnectionString(port, "postgres", probe: true));
                await connection.OpenAsync(ct);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or IOException or TimeoutException)
            {
                last = ex;
            }

            await Task.Delay(200, ct);
        }

        var message = $"PostgreSQL ({what}, data in {dataDirectory}) did not accept connections on {Host}:{port} "
            + $"within {Options.StartTimeout.TotalSeconds:0}s: {last?.Message}{Environment.NewLine}"
            + LogTail(Path.Combine(dataDirectory, LogFileName));
        throw last is null ? new LocalPostgresException(message) : new LocalPostgresException(message, last);
    }

    private static async Task EnsureDatabaseAsync(int port, string database, CancellationToken ct)
    {
        if (database == "postgres")
        {
            return;
        }

        await using var connection = new NpgsqlConnection(BuildConnectionString(port, "postgres", probe: true));
        await connection.OpenAsync(ct);

        await using (var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = database });
            if (await exists.ExecuteScalarAsync(ct) is not null)
            {
                return;
            }
        }

        try
        {
            await using var create = new NpgsqlCommand("create database " + QuoteIdentifier(database), connection);
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Created meanwhile by another process.
        }
    }

    private static string QuoteIdentifier(string identifier) =>
        "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static bool IsPortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void RotateLog(string logFile)
    {
        if (File.Exists(logFile) && new FileInfo(logFile).Length > MaxLogBytes)
        {
            File.Move(logFile, logFile + ".old", overwrite: true);
        }
    }

    private static string ReadLogSince(string logFile, long offset)
    {
        try
        {
            using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static string LogTail(string logFile, int lines = 40)
    {
        try
        {
            using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Max(0, stream.Length - 16_384), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var tail = reader.ReadToEnd().Split('\n').TakeLast(lines);
            return $"Last lines of the server log {logFile}:{Environment.NewLine}{string.Join(Environment.NewLine, tail).TrimEnd()}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"(server log {logFile} unreadable: {ex.Message})";
        }
    }

    private static async Task<FileStream> AcquireLockAsync(string lockFile, TimeSpan timeout, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) on Unix; the OS drops it if the process dies.
                return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < timeout)
            {
                await Task.Delay(200, ct);
            }
            catch (IOException ex)
            {
                throw new LocalPostgresException(
                    $"Timed out after {timeout.TotalSeconds:0}s waiting for the lock {lockFile}, held by another process "
                    + "that is initialising or starting the same PostgreSQL cluster.",
                    ex);
            }
        }
    }

    private static IEnumerable<string> CandidateDirectories()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var entry in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(entry, "initdb");
            if (!File.Exists(initdb))
            {
                continue;
            }

            // PATH often holds symlinks (e.g. /usr/local/bin/initdb): prefer the real folder, which has pg_isready and friends.
            var target = File.ResolveLinkTarget(initdb, returnFinalTarget: true)?.FullName;
            if (target is not null && Path.GetDirectoryName(target) is { } realDirectory)
            {
                yield return realDirectory;
            }

            yield return Path.GetFullPath(entry);
        }

        foreach (var pattern in new[] { "/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/opt/homebrew/opt/postgresql@*/bin", "/usr/local/opt/postgresql@*/bin" })
        {
            foreach (var directory in Versioned(pattern))
            {
                yield return directory;
            }
        }
    }

    /// <summary>Folders matching a pattern with one '*' in a path segment, highest version first.</summary>
    private static List<string> Versioned(string pattern)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        var parent = pattern[..pattern.LastIndexOf('/', star)];
        var segmentEnd = pattern.IndexOf('/', star);
        var segmentPattern = pattern[(parent.Length + 1)..(segmentEnd < 0 ? pattern.Length : segmentEnd)];
        var rest = segmentEnd < 0 ? string.Empty : pattern[(segmentEnd + 1)..];
        if (!Directory.Exists(parent))
        {
            return [];
        }

        return Directory.EnumerateDirectories(parent, segmentPattern)
            .Select(directory => (Directory: rest.Length == 0 ? directory : Path.Combine(directory, rest), Version: VersionOf(Path.GetFileName(directory))))
            .Where(candidate => Directory.Exists(candidate.Directory))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => candidate.Directory)
            .ToList();

        static Version VersionOf(string name)
        {
            var match = VersionNumber().Match(name);
            return match.Success && Version.TryParse(match.Value.Contains('.', StringComparison.Ordinal) ? match.Value : match.Value + ".0", out var version)
                ? version
                : new Version(0, 0);
        }
    }

    private static bool HasServerBinaries(string directory) =>
        File.Exists(Path.Combine(directory, "initdb"))
        && File.Exists(Path.Combine(directory, "pg_ctl"))
        && File.Exists(Path.Combine(directory, "postgres"));

    private static string ReadVersion(string directory)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Path.Combine(directory, "pg_ctl"), "--version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(10_000);
            var match = PostgresVersion().Match(output);
            if (match.Success)
            {
                return match.Groups[1].Value;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not executable; fall back to the folder name below.
        }

        var fromFolder = VersionNumber().Match(directory);
        return fromFolder.Success ? fromFolder.Value : "unknown";
    }

    private static Task<ProcessResult> RunAsync(string file, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken ct) =>
        RunProcessAsync(file, arguments, RunAsPostgresUser, timeout, ct);

    /// <summary>
    /// Runs a tool to completion, capturing its output. Output is read concurrently; once the tool exits, output still
    /// held open by a grandchild (a server it started) is not waited for beyond a short grace period.
    /// </summary>
    private static async Task<ProcessResult> RunProcessAsync(
        string file, IReadOnlyList<string> arguments, bool asPostgres, TimeSpan timeout, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = asPostgres ? RunUserPath() : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // The postgres user may not be able to enter the current folder (e.g. /root/...).
            WorkingDirectory = OperatingSystem.IsWindows() ? Environment.CurrentDirectory : "/",
        };
        if (asPostgres)
        {
            foreach (var argument in new[] { "-u", PostgresUser, "--", file })
            {
                startInfo.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["LC_ALL"] = "C";

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new LocalPostgresException($"Could not run {startInfo.FileName}: {ex.Message}", ex);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            throw new LocalPostgresException(
                $"{Describe(file, arguments)} did not finish within {timeout.TotalSeconds:0}s.{Environment.NewLine}"
                + await CollectAsync(stdout, stderr));
        }

        return new ProcessResult(process.ExitCode, await CollectAsync(stdout, stderr));

        static async Task<string> CollectAsync(Task<string> stdout, Task<string> stderr)
        {
            var both = Task.WhenAll(stdout, stderr);
            await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
            var text = new StringBuilder();
            if (stdout.IsCompletedSuccessfully && stdout.Result.Length > 0)
            {
                text.Append(stdout.Result.TrimEnd()).Append(Environment.NewLine);
            }

            if (stderr.IsCompletedSuccessfully && stderr.Result.Length > 0)
            {
                text.Append(stderr.Result.TrimEnd()).Append(Environment.NewLine);
            }

            return text.ToString().TrimEnd();
        }

        static string Describe(string file, IReadOnlyList<string> arguments) =>
            Path.GetFileName(file) + " " + string.Join(' ', arguments);
    }

    private static string RunUserPath()
    {
        foreach (var candidate in new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new LocalPostgresException(
            "Running as root, and PostgreSQL refuses to run as root, but runuser (util-linux) was not found to run it as "
            + "the postgres user. Run Ledger as a normal user, or set LEDGER_CONNECTION to an existing PostgreSQL server.");
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d+(?:\.\d+)?)")]
    private static partial Regex PostgresVersion();

    [GeneratedRegex(@"\d+(?:\.\d+)?")]
    private static partial Regex VersionNumber();

    private sealed record ProcessResult(int ExitCode, string Output);
}
