using Ledger.Domain.Recording;
using Ledger.Import;
using Ledger.Tracks;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Infrastructure.Http;

/// <summary>One field at fault, named with the same paths the importer reports (e.g. <c>developments[0].reports[1].quote</c>).</summary>
public sealed record FieldError(string Field, string Message, int? Line = null);

/// <summary>RFC 9457 problem details (application/problem+json) for every error the API answers.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static IResult Of(int status, string title, string detail, IReadOnlyList<FieldError>? errors = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = $"https://httpstatuses.io/{status}",
        };
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errors"] = errors;
        }

        return TypedResults.Problem(problem);
    }

    public static IResult Validation(IEnumerable<InputError> errors, string? detail = null)
    {
        var list = errors.Select(e => new FieldError(e.Field, e.Message, e.Line)).ToList();
        return Of(
            StatusCodes.Status400BadRequest,
            "The request is not valid",
            detail ?? (list.Count == 1 ? $"{list[0].Field}: {list[0].Message}" : $"{list.Count} problems; nothing was recorded. First: {list[0].Field}: {list[0].Message}"),
            list);
    }

    public static IResult Field(string field, string message) =>
        Of(StatusCodes.Status400BadRequest, "The request is not valid", $"{field}: {message}", [new FieldError(field, message)]);

    public static IResult NotFound(string detail) => Of(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Conflict(string detail, IReadOnlyList<FieldError>? errors = null) => Of(StatusCodes.Status409Conflict, "Conflict", detail, errors);

    public static Task Write(HttpContext context, int status, string title, string detail) => Of(status, title, detail).ExecuteAsync(context);

    /// <summary>Runs a read, answering 404 when the negotiation, track or claim it looks up does not exist.</summary>
    public static async Task<IResult> CatchNotFound(Func<Task<IResult>> read)
    {
        try
        {
            return await read();
        }
        catch (NotFoundException e)
        {
            return NotFound(e.Message);
        }
    }
}
