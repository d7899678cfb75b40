using Microsoft.Extensions.Configuration;

namespace Ledger.Infrastructure.Postgres;

/// <summary>A PostgreSQL connection string and where it came from, for messages.</summary>
public sealed record ResolvedConnection(string ConnectionString, string Description);

/// <summary>
/// Decides which PostgreSQL Ledger talks to: LEDGER_CONNECTION, else the configuration's ConnectionStrings:Ledger,
/// else a private server run from .ledger/postgres in the repository (or ~/.ledger/postgres outside one).
/// </summary>
public static class LedgerConnection
{
    public const string EnvironmentVariable = "LEDGER_CONNECTION";
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
            return new ResolvedConnection(fromEnvironment, $"{EnvironmentVariable} environment variable");
        }

        var fromConfiguration = configuration?.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(fromConfiguration))
        {
            return new ResolvedConnection(fromConfiguration, $"configuration ConnectionStrings:{ConnectionStringName}");
        }

        var cluster = new LocalPostgresCluster(DefaultDataDirectory(currentDirectory));
        var server = await cluster.StartAsync(DatabaseName, ct);

        var where = server.FallbackReason is null
            ? server.DataDirectory
            : $"{server.DataDirectory}, because {server.FallbackReason}";
        var description = $"private PostgreSQL {server.Binaries.MajorVersion} on {server.Host}:{server.Port} (data in {where})";
        await notices.WriteLineAsync(
            $"Using private PostgreSQL {server.Binaries.MajorVersion} on {server.Host}:{server.Port} "
            + $"(data in {where}, {(server.StartedNow ? "started now" : "already running")}). "
            + $"Set {EnvironmentVariable} to use your own.");
        return new ResolvedConnection(server.ConnectionString, description);
    }

    /// <summary>.ledger/postgres under the repository root holding Ledger.sln, found upwards from <paramref name="currentDirectory"/>; else ~/.ledger/postgres.</summary>
    public static string DefaultDataDirectory(string currentDirectory)
    {
        var root = FindRepositoryRoot(currentDirectory)
                   ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(root, ".ledger", "postgres");
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
