using Ledger.Domain.Recording;
using System.Globalization;
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

    /// <summary>
    /// The most field errors one problem lists. A request can hold thousands of faults (a MiB of empty developments);
    /// listing them all made a problem document many times the request's size, and the first ones are what a
    /// writer fixes first. <c>moreErrors</c> counts the rest.
    /// </summary>
    public const int MaxErrors = 100;

    /// <summary>The longest input value echoed inside a message ('…' and "…" spans); longer ones are cut, so a problem never repeats a request's bulk.</summary>
    public const int MaxEchoedLength = 80;

    /// <summary>The longest message of one field error, whatever it quotes.</summary>
    public const int MaxMessageLength = 400;

    /// <summary>The longest field path: a path may hold an unknown key as the request spelt it.</summary>
    public const int MaxFieldLength = 200;

    /// <summary>The longest <c>detail</c>, which repeats the first error.</summary>
    public const int MaxDetailLength = 1000;

    public static IResult Of(int status, string title, string detail, IReadOnlyList<FieldError>? errors = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = Clip(ShortenQuoted(detail), MaxDetailLength),
            Type = $"https://httpstatuses.io/{status}",
        };
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errors"] = errors.Take(MaxErrors).Select(Bounded).ToList();
        }

        if (errors is { Count: > MaxErrors })
        {
            problem.Extensions["moreErrors"] = errors.Count - MaxErrors;
        }

        return TypedResults.Problem(problem);
    }

    public static IResult Validation(IEnumerable<InputError> errors, string? detail = null)
    {
        var list = errors.Select(e => new FieldError(e.Field, e.Message, e.Line)).ToList();
        var more = Math.Max(0, list.Count - MaxErrors);
        var first = list.Count == 0 ? "" : $"{Clip(list[0].Field, MaxFieldLength)}: {Clip(ShortenQuoted(list[0].Message), MaxMessageLength)}";
        detail ??= list.Count switch
        {
            1 => first,
            _ when more > 0 => string.Create(CultureInfo.InvariantCulture, $"{list.Count:N0} problems; nothing was recorded. The first {MaxErrors} are listed, {more:N0} more are not (moreErrors). First: {first}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{list.Count:N0} problems; nothing was recorded. First: {first}"),
        };
        return Of(StatusCodes.Status400BadRequest, "The request is not valid", detail, list);
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
    private static FieldError Bounded(FieldError error) =>
        error with { Field = Clip(error.Field, MaxFieldLength), Message = Clip(ShortenQuoted(error.Message), MaxMessageLength) };

    /// <summary>Cuts every quoted span ('…' or "…") longer than <see cref="MaxEchoedLength"/>: that is where messages echo input.</summary>
    private static string ShortenQuoted(string message)
    {
        if (message.Length <= MaxEchoedLength)
        {
            return message;
        }

        var result = new System.Text.StringBuilder(Math.Min(message.Length, MaxMessageLength * 2));
        var i = 0;
        while (i < message.Length)
        {
            var quote = message[i];
            var close = quote is '\'' or '"' ? message.IndexOf(quote, i + 1) : -1;
            if (close < 0)
            {
                result.Append(quote);
                i++;
                continue;
            }

            var inner = message.AsSpan(i + 1, close - i - 1);
            result.Append(quote);
            if (inner.Length > MaxEchoedLength)
            {
                result.Append(inner[..(MaxEchoedLength - 1)]).Append('…');
            }
            else
            {
                result.Append(inner);
            }

            result.Append(quote);
            i = close + 1;
        }

        return result.ToString();
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
