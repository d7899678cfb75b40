using System.Globalization;
using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Ledger.Infrastructure.Http;

/// <summary>
/// A request that fails because PostgreSQL cannot be reached is answered 503 with <c>Retry-After</c> and a problem
/// document, for every endpoint: the client did nothing wrong and may try again, which a 500 would not tell it.
/// </summary>
public sealed partial class DatabaseOutageHandler(DatabaseOutageSettings settings, ILogger<DatabaseOutageHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsOutage(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        LogOutage(logger, httpContext.Request.Method, httpContext.Request.Path, Innermost(exception).Message);
        var seconds = settings.RetryAfterSeconds;
        httpContext.Response.Clear();
        httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.Write(
            httpContext,
            StatusCodes.Status503ServiceUnavailable,
            "Database unavailable",
            $"The database is unreachable; retry after {seconds} s. Nothing was recorded by this request.");
        return true;
    }

    /// <summary>
    /// Whether an exception, or one it wraps (Marten and Wolverine wrap Npgsql's), says the server could not be
    /// reached or went away: a refused or reset connection, a timeout while connecting, a server shutting down, not
    /// yet accepting connections or out of connection slots. Other PostgreSQL errors are the request's or the program's, not an outage.
    /// </summary>
    public static bool IsOutage(Exception exception)
    {
        foreach (var e in Chain(exception))
        {
            switch (e)
            {
                case PostgresException postgres:
                    // Class 08 (connection exception), 57P01-57P03 (shutting down, crashed, not yet accepting) and
                    // 53300 (no connection slot left): the server cannot serve anyone just now.
                    if (postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState is "57P01" or "57P02" or "57P03" or "53300")
                    {
                        return true;
                    }

                    return false;
                case NpgsqlException npgsql when npgsql.IsTransient:
                case SocketException:
                case TimeoutException:
                case EndOfStreamException:
                    return true;
            }
        }

        return false;
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        var seen = 0;
        while (pending.TryPop(out var e) && seen++ < 32)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is unreachable; {Method} {Path} answered 503: {Error}")]
    private static partial void LogOutage(ILogger logger, string method, string path, string error);

    private static Exception Innermost(Exception exception) => Chain(exception).Last();
}

/// <summary>How long a client is told to wait before retrying while the database is unreachable (<c>Ledger:DatabaseOutage:RetryAfterSeconds</c>).</summary>
public sealed record DatabaseOutageSettings(int RetryAfterSeconds)
{
    public static DatabaseOutageSettings From(IConfiguration configuration) =>
        new(Math.Clamp(configuration.GetValue("Ledger:DatabaseOutage:RetryAfterSeconds", 5), 1, 3600));
}

public static class DatabaseOutage
{
    /// <summary>Answers requests that fail for want of the database with 503 and <c>Retry-After</c>.</summary>
    public static WebApplicationBuilder AddDatabaseOutageAnswers(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(DatabaseOutageSettings.From(builder.Configuration));
        builder.Services.AddExceptionHandler<DatabaseOutageHandler>();
        return builder;
    }
}
