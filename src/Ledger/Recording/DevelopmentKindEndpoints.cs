using Ledger.Domain.Developments;
using Ledger.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Recording;

/// <summary>One kind of development a report may have, and the fields it takes beyond the common ones.</summary>
public sealed record DevelopmentKindInfo(string Name, IReadOnlyList<string> Fields);

/// <summary>The kinds <c>POST /api/developments</c> accepts, straight from the table the decider reads, so a form never offers a kind the server refuses.</summary>
[Tags("Recording")]
public static class DevelopmentKindEndpoints
{
    [WolverineGet("/api/development-kinds", OperationId = "listDevelopmentKinds", Summary = "List the kinds of development and the fields each takes")]
    [ProducesResponseType<IReadOnlyList<DevelopmentKindInfo>>(200, "application/json")]
    public static IResult Kinds() =>
        JsonResults.Ok(DevelopmentKinds.All.Select(k => new DevelopmentKindInfo(k.Name, k.Fields)).ToList());
}
