using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Ledger.Infrastructure.Postgres;

/// <summary>A PostgreSQL connection string and where it came from, for messages.</summary>
public sealed record ResolvedConnection(string ConnectionString, string Description);

/// <summary>
/// Decides which PostgreSQL Ledger talks to: LEDGER_CONNECTION, else the configuration's ConnectionStrings:Ledger,
/// else a private server run from .ledger/postgres in the repository (or ~/.ledger/postgres outside one, or
/// $LEDGER_HOME/postgres when LEDGER_HOME is set).
/// </summary>
public static class LedgerConnection
{
    public const string EnvironmentVariable = "LEDGER_CONNECTION";

    /// <summary>The folder that holds the private server's data (postgres/ in it), instead of the repository's .ledger.</summary>
    public const string HomeVariable = "LEDGER_HOME";
    public const string ConnectionStringName = "Ledger";
    public const string DatabaseName = "ledger";
    public const string SolutionFileName = "Ledger.sln";

    /// <summary>
    /// Resolves the connection string. Starts the private server when neither LEDGER_CONNECTION nor the configuration
    /// names one, and then writes one line about it to <paramref name="notices"/>.
    /// </summary>
    /// <exception cref="PostgresNotFoundException">The private server is needed but no PostgreSQL binaries were found.</exception>
    /// <exception cref="LocalPostgresException">The private server could not be initialised, started or reached.</exception>
    public static Task<ResolvedConnection> ResolveAsync(IConfiguration? configuration, TextWriter notices, CancellationToken ct) =>
        ResolveAsync(configuration, notices, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory(), ct);

    internal static async Task<ResolvedConnection> ResolveAsync(
        IConfiguration? configuration,
        TextWriter notices,
        Func<string, string?> environment,
        string currentDirectory,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notices);

        var fromEnvironment = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Checked(new ResolvedConnection(fromEnvironment, $"{EnvironmentVariable} environment variable"), EnvironmentVariable);
        }

        var fromConfiguration = configuration?.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(fromConfiguration))
        {
            return Checked(new ResolvedConnection(fromConfiguration, $"configuration ConnectionStrings:{ConnectionStringName}"), $"ConnectionStrings:{ConnectionStringName}");
        }

        var cluster = new LocalPostgresCluster(DefaultDataDirectory(currentDirectory, environment));
        var server = await cluster.StartAsync(DatabaseName, ct);

        var where = server.FallbackReason is null
            ? server.DataDirectory
            : $"{server.DataDirectory}, because {server.FallbackReason}";
        var description = $"private PostgreSQL {server.Binaries.MajorVersion} on {server.Host}:{server.Port} (data in {where})";
        // The server outlives the command that started it, so the line that says it started also says how to stop
        // it and what to delete to be rid of it.
        await notices.WriteLineAsync(server.StartedNow
            ? $"Started a private PostgreSQL {server.Binaries.MajorVersion} on {server.Host}:{server.Port} (data in {where}). "
              + $"It keeps running for the next commands: `ledger db stop` stops it; to remove it, `ledger db stop`, then delete {Removable(server.DataDirectory)}. "
              + $"Set {EnvironmentVariable} to use your own PostgreSQL."
            : $"Using private PostgreSQL {server.Binaries.MajorVersion} on {server.Host}:{server.Port} (data in {where}; `ledger db stop` stops it). "
              + $"Set {EnvironmentVariable} to use your own.");
        return new ResolvedConnection(server.ConnectionString, description);
    }

    /// <summary>
    /// $LEDGER_HOME/postgres when LEDGER_HOME is set; else .ledger/postgres under the repository root holding
    /// Ledger.sln, found upwards from <paramref name="currentDirectory"/>; else ~/.ledger/postgres.
    /// </summary>
    public static string DefaultDataDirectory(string currentDirectory) =>
        DefaultDataDirectory(currentDirectory, Environment.GetEnvironmentVariable);

    internal static string DefaultDataDirectory(string currentDirectory, Func<string, string?> environment)
    {
        if (environment(HomeVariable) is { Length: > 0 } home)
        {
            return Path.Combine(Path.GetFullPath(home), "postgres");
        }

        var root = FindRepositoryRoot(currentDirectory)
                   ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(root, ".ledger", "postgres");
    }

    /// <summary>What to delete to remove the private server: the .ledger (or LEDGER_HOME) folder holding its data, or the data folder itself when it lives elsewhere.</summary>
    public static string Removable(string dataDirectory)
    {
        var parent = Path.GetDirectoryName(dataDirectory);
        return Path.GetFileName(dataDirectory) == "postgres" && parent is not null
            ? parent + Path.DirectorySeparatorChar
            : dataDirectory;
    }

    /// <summary>A connection string Npgsql cannot read is refused here, naming where it came from, rather than deep in the first query.</summary>
    private static ResolvedConnection Checked(ResolvedConnection connection, string where)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
            return connection;
        }
        catch (ArgumentException e)
        {
            throw new InvalidConnectionStringException(
                $"{where} is not a PostgreSQL connection string ({e.Message.TrimEnd('.')}); "
                + "expected e.g. \"Host=localhost;Port=5432;Username=ledger;Password=ledger;Database=ledger\"");
        }
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> that contains Ledger.sln, or null.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}

/// <summary>A configured connection string that Npgsql cannot read; the message names where it came from.</summary>
public sealed class InvalidConnectionStringException(string message) : Exception(message);

/// <summary>The configured PostgreSQL does not answer, or refuses the connection; the message says which server and why.</summary>
public sealed class DatabaseUnavailableException(string message, Exception innerException) : Exception(message, innerException);
