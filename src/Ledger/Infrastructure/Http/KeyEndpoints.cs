using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Infrastructure.Http;

/// <summary>One configured key as an admin sees it: its name and role, never its value.</summary>
public sealed record KeyListing(string Name, string Role);

[Tags("Keys")]
public static class KeyEndpoints
{
    /// <summary>Lists the configured keys by name and role (an admin's key). Key values are never shown.</summary>
    [WolverineGet("/api/keys", OperationId = "listKeys", Summary = "List the keys by name and role")]
    [Authorize(Policy = ApiRoles.AdminPolicy)]
    [ProducesResponseType<IReadOnlyList<KeyListing>>(200, "application/json")]
    public static IResult List(ApiKeyOptions keys) =>
        JsonResults.Ok(keys.Names.Select(k => new KeyListing(k.Name, k.Role)).ToList());
}
