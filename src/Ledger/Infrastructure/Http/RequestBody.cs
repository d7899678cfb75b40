using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Ledger.Infrastructure.Http;

/// <summary>How every write endpoint reads its body: JSON or YAML in UTF-8, of bounded size.</summary>
public static class RequestBody
{
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>What the write endpoints read, as sent in <c>Accept-Post</c> with a 415.</summary>
    public const string AcceptedMediaTypes = "application/json, application/*+json, application/yaml, application/x-yaml, text/yaml";

    /// <summary>
    /// 415 unless the body is declared JSON or YAML in UTF-8. A request without a Content-Type is read: the body
    /// is parsed as YAML either way (JSON is YAML), and simple clients send none. What is refused is a declared
    /// other type (a form, an image, text/plain: <c>curl -d</c> without <c>-H "Content-Type: application/json"</c>
    /// sends a form type), since such a body was not meant to be read as JSON or YAML.
    /// </summary>
    private static IResult? UnsupportedMediaType(HttpContext context)
    {
        var declared = context.Request.ContentType;
        if (string.IsNullOrWhiteSpace(declared))
        {
            return null;
        }

        if (Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(declared, out var media)
            && IsJsonOrYaml(media.MediaType.Value ?? "")
            && (media.Charset.Value ?? "utf-8").ToUpperInvariant() is "UTF-8" or "UTF8" or "US-ASCII")
        {
            return null;
        }

        context.Response.Headers["Accept-Post"] = AcceptedMediaTypes;
        var shown = declared.Length <= 100 ? declared : string.Concat(declared.AsSpan(0, 99), "…");
        return Problems.Of(
            StatusCodes.Status415UnsupportedMediaType,
            "Unsupported media type",
            $"The body is declared as '{shown}'; send JSON (Content-Type: application/json) or YAML (application/yaml), in UTF-8.");
    }

    private static bool IsJsonOrYaml(string mediaType)
    {
        var type = mediaType.ToLowerInvariant();
        return type is "application/json" or "application/yaml" or "application/x-yaml" or "text/yaml"
            || (type.StartsWith("application/", StringComparison.Ordinal) && type.EndsWith("+json", StringComparison.Ordinal));
    }

    /// <summary>
    /// Reads the body as UTF-8 text, refusing a body that is not JSON or YAML with 415 and more than
    /// <see cref="MaxBodyBytes"/> with 413.
    /// </summary>
    public static async Task<(string Text, IResult? Problem)> ReadAsync(HttpContext context, CancellationToken ct)
    {
        static IResult TooLarge() => Problems.Of(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"A request body may hold at most {MaxBodyBytes:N0} bytes; send fewer developments per request.");

        if (UnsupportedMediaType(context) is { } unsupported)
        {
            return ("", unsupported);
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return ("", TooLarge());
        }

        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is { IsReadOnly: false })
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBodyBytes)
                {
                    return ("", TooLarge());
                }
            }

            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            return text.Length == 0
                ? ("", Problems.Field("body", "is empty: send a JSON (or YAML) document"))
                : (text, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ("", TooLarge());
        }
        catch (DecoderFallbackException)
        {
            return ("", Problems.Field("body", "is not UTF-8 text"));
        }
    }
}
