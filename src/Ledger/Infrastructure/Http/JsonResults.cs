namespace Ledger.Infrastructure.Http;

/// <summary>
/// Answers in the JSON shape of the command line's <c>--format json</c> (the same serializer options), so an
/// endpoint and the command that shows the same thing never disagree.
/// </summary>
public static class JsonResults
{
    public static IResult Ok<T>(T value, int status = StatusCodes.Status200OK) => Results.Json(value, Json.Options, statusCode: status);
}
