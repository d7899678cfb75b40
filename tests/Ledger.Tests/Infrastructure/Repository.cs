using Ledger.Infrastructure.Postgres;

namespace Ledger.Tests.Infrastructure;

/// <summary>The checkout the tests run from: its seeds/, events/, docs/ and the browser and JSON-LD scripts.</summary>
public static class Repository
{
    /// <summary>The folder holding Ledger.sln, found the way the command line finds it.</summary>
    public static string Root { get; } =
        LedgerConnection.FindRepositoryRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Tests run inside the repository (no Ledger.sln above " + AppContext.BaseDirectory + ").");
}
