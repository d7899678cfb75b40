using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Ledger.Infrastructure.Http;

/// <summary>
/// The credentials the server accepts, read from configuration (never from the repository):
/// <c>Ledger:ApiKeys:&lt;writer&gt;=&lt;key&gt;</c> (environment <c>Ledger__ApiKeys__alice=...</c>) or
/// <c>LEDGER_API_KEYS="alice=key;bob=key2"</c> for writers, <c>Ledger:ReadKeys:&lt;reader&gt;</c> for read-only
/// keys, and <c>Ledger:RequireKeyForReads=true</c> to close the read endpoints to anonymous callers.
/// </summary>
public sealed class ApiKeyOptions
{
    public Dictionary<string, string> Writers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Readers { get; } = new(StringComparer.Ordinal);

    public bool RequireKeyForReads { get; set; }

    public static ApiKeyOptions From(IConfiguration configuration)
    {
        var options = new ApiKeyOptions();
        foreach (var entry in configuration.GetSection("Ledger:ApiKeys").GetChildren())
        {
            if (!string.IsNullOrWhiteSpace(entry.Value))
            {
                options.Writers[entry.Key] = entry.Value;
            }
        }

        foreach (var entry in configuration.GetSection("Ledger:ReadKeys").GetChildren())
        {
            if (!string.IsNullOrWhiteSpace(entry.Value))
            {
                options.Readers[entry.Key] = entry.Value;
            }
        }

        foreach (var pair in (configuration["LEDGER_API_KEYS"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at > 0 && at < pair.Length - 1)
            {
                options.Writers[pair[..at].Trim()] = pair[(at + 1)..].Trim();
            }
        }

        options.RequireKeyForReads = configuration.GetValue("Ledger:RequireKeyForReads", false);
        return options;
    }

    /// <summary>The writer or reader a key belongs to, compared in constant time.</summary>
    public (string Name, string Role)? Identify(string key)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        (string, string)? found = null;
        foreach (var (role, keys) in new[] { (ApiRoles.Writer, Writers), (ApiRoles.Reader, Readers) })
        {
            foreach (var (name, secret) in keys)
            {
                if (CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(secret))) && found is null)
                {
                    found = (name, role);
                }
            }
        }

        return found;
    }
}

public static class ApiRoles
{
    public const string Reader = "reader";
    public const string Writer = "writer";

    /// <summary>May also revise or withdraw what other writers coded.</summary>
    public const string Editor = "editor";

    /// <summary>May also see the keys and everyone's webhooks.</summary>
    public const string Admin = "admin";

    public const string WritePolicy = "ledger-write";
    public const string ReadPolicy = "ledger-read";
}

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c>. No credential: 401.
/// A credential that is unknown, or that may not do what is asked: 403. Both answer with problem details.
/// </summary>
public sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyOptions keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = PresentedKey(Request);
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (keys.Identify(key) is not { } who)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, who.Name), new Claim(ClaimTypes.Role, who.Role)],
            SchemeName,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (PresentedKey(Request) is not null)
        {
            await Problems.Write(Context, StatusCodes.Status403Forbidden, "Forbidden", "The API key is not one this server knows.");
            return;
        }

        Response.Headers.WWWAuthenticate = "Bearer realm=\"ledger\"";
        await Problems.Write(Context, StatusCodes.Status401Unauthorized, "Unauthorized", "This needs an API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "Forbidden", "This API key may not do this (writing needs a writer's key).");

    public static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Api-Key", out var apiKey) && !string.IsNullOrWhiteSpace(apiKey))
        {
            return apiKey.ToString().Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7
            ? authorization[7..].Trim()
            : null;
    }
}
