namespace Ledger.Infrastructure;

/// <summary>
/// Stream identities. A track is one stream, so its claims are read and versioned together; a negotiation's
/// registrations and each source have streams of their own.
/// </summary>
public static class StreamKeys
{
    public static string Track(string negotiationId, string trackId) => $"track/{negotiationId}/{trackId}";

    public static string Negotiation(string negotiationId) => $"negotiation/{negotiationId}";

    public static string Source(string sourceId) => $"source/{sourceId}";
}
