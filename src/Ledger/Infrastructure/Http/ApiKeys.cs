using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Ledger.Infrastructure.Http;

/// <summary>
/// The credentials the server accepts, read from configuration (never from the repository), each under the role it
/// carries: <c>Ledger:ReadKeys:&lt;name&gt;</c> (readers), <c>Ledger:ApiKeys:&lt;name&gt;</c> (writers; environment
/// <c>Ledger__ApiKeys__alice=...</c>), <c>Ledger:EditorKeys:&lt;name&gt;</c>, <c>Ledger:AdminKeys:&lt;name&gt;</c>, and
/// <c>LEDGER_API_KEYS="alice=key;dana=key2:editor"</c> (writers unless a <c>:reader</c>, <c>:writer</c>,
/// <c>:editor</c> or <c>:admin</c> suffix says otherwise). <c>Ledger:RequireKeyForReads=true</c> closes the read
/// endpoints to anonymous callers.
/// </summary>
public sealed class ApiKeyOptions
{
    private readonly Dictionary<string, (string Key, string Role)> _keys = new(StringComparer.Ordinal);

    /// <summary>The configured keys' names and roles, ordered by name; never their values.</summary>
    public IReadOnlyList<(string Name, string Role)> Names =>
        [.. _keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.Role))];

    public bool RequireKeyForReads { get; set; }

    /// <summary>Adds (or replaces) the key of <paramref name="name"/>; one name holds one key and one role.</summary>
    public void Add(string name, string key, string role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (!ApiRoles.Ordered.Contains(role))
        {
            throw new ArgumentException($"unknown role '{role}'; expected one of {string.Join(", ", ApiRoles.Ordered)}", nameof(role));
        }

        _keys[name] = (key, role);
    }

    public static ApiKeyOptions From(IConfiguration configuration)
    {
        var options = new ApiKeyOptions();
        foreach (var (section, role) in new[] { ("Ledger:ReadKeys", ApiRoles.Reader), ("Ledger:ApiKeys", ApiRoles.Writer), ("Ledger:EditorKeys", ApiRoles.Editor), ("Ledger:AdminKeys", ApiRoles.Admin) })
        {
            foreach (var entry in configuration.GetSection(section).GetChildren())
            {
                if (!string.IsNullOrWhiteSpace(entry.Value))
                {
                    options.Add(entry.Key, entry.Value.Trim(), role);
                }
            }
        }

        foreach (var pair in (configuration["LEDGER_API_KEYS"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at > 0 && at < pair.Length - 1)
            {
                var (key, role) = WithRole(pair[(at + 1)..].Trim());
                if (key.Length > 0)
                {
                    options.Add(pair[..at].Trim(), key, role);
                }
            }
        }

        options.RequireKeyForReads = configuration.GetValue("Ledger:RequireKeyForReads", false);
        return options;
    }

    /// <summary>
    /// A key of <c>LEDGER_API_KEYS</c> with its role: a trailing <c>:role</c> naming a role is the role; anything
    /// else (a key that merely holds a colon) is all key, for a writer.
    /// </summary>
    private static (string Key, string Role) WithRole(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && ApiRoles.Ordered.Contains(value[(colon + 1)..].Trim().ToLowerInvariant()) is true
            ? (value[..colon].Trim(), value[(colon + 1)..].Trim().ToLowerInvariant())
            : (value, ApiRoles.Writer);
    }

    /// <summary>The name and role a key belongs to, compared in constant time against every configured key.</summary>
    public (string Name, string Role)? Identify(string key)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        (string, string)? found = null;
        foreach (var (name, (secret, role)) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(secret))) && found is null)
            {
                found = (name, role);
            }
        }

        return found;
    }
}

/// <summary>
/// The roles a key carries, each including the ones before it: a reader reads; a writer also records, and revises
/// or withdraws its own coding; an editor also revises or withdraws what other writers coded; an admin also lists
/// the keys and sees everyone's webhooks.
/// </summary>
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
    public const string AdminPolicy = "ledger-admin";

    /// <summary>Lowest first.</summary>
    public static readonly IReadOnlyList<string> Ordered = [Reader, Writer, Editor, Admin];

    /// <summary>The role and every role it includes: an admin is also editor, writer and reader.</summary>
    public static IEnumerable<string> Implied(string role) => Ordered.Take(Math.Max(0, Ordered.ToList().IndexOf(role)) + 1);

    /// <summary>The highest role a principal holds (reader for one with none).</summary>
    public static string Of(ClaimsPrincipal user) => Ordered.LastOrDefault(user.IsInRole) ?? Reader;
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
            [new Claim(ClaimTypes.Name, who.Name), .. ApiRoles.Implied(who.Role).Select(role => new Claim(ClaimTypes.Role, role))],
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
        Problems.Write(
            Context,
            StatusCodes.Status403Forbidden,
            "Forbidden",
            $"The key of '{Context.User.Identity?.Name}' is a{(ApiRoles.Of(Context.User) is ApiRoles.Admin or ApiRoles.Editor ? "n" : "")} {ApiRoles.Of(Context.User)}'s and may not do this (writing needs a writer's key, listing keys an admin's).");

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
