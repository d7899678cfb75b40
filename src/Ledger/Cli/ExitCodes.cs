namespace Ledger.Cli;

/// <summary>
/// What <c>ledger</c> exits with, so that scripts can tell a refused input from a database that is down. The
/// numbers above 2 are the BSD sysexits ones that shells and service managers already know.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and found something wrong: a file import rejected, a problem verify found.</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad input: an option the command cannot read, an unknown negotiation or track, a folder that does not exist.</summary>
    public const int BadInput = 2;

    /// <summary>PostgreSQL cannot be reached, is not installed, or the private server could not start.</summary>
    public const int Unavailable = 69;

    /// <summary>A fault of ledger itself; LEDGER_DEBUG=1 shows the full exception.</summary>
    public const int Internal = 70;

    /// <summary>Stopped by Ctrl+C or SIGTERM.</summary>
    public const int Interrupted = 130;
}

/// <summary>A command refused what it was given; the message is the whole explanation, shown as it is.</summary>
public sealed class CommandLineException(string message, int exitCode = ExitCodes.BadInput) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
