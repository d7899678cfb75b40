using System.Globalization;
using System.Text;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Provenance;
using Ledger.Domain.Sources;

namespace Ledger.Bench.Corpus;

/// <summary>The registration events the importer derives from a generated negotiation and article.</summary>
public static class CorpusEvents
{
    public static IReadOnlyList<object> Registration(NegotiationSpec n) =>
    [
        new NegotiationOpened(n.Id, n.Title, "A synthetic negotiation for benchmarks"),
        .. n.Parties.Select(p => new PartyRegistered(n.Id, p.Id, p.Name, p.Role)),
        .. n.Actors.Select(a => new ActorRegistered(n.Id, a.Id, a.Name, a.PartyId, a.Role, a.Aliases)),
        .. n.Tracks.Select(t => new TrackOpened(n.Id, t.Id, t.Title, t.Description)),
        .. CorpusGenerator.Categories.Select(c => new CategoryRegistered(n.Id, c, c)),
    ];

    public static SourceRegistered Source(Article a) => new(
        a.SourceId, a.Outlet, a.Title, null, a.Published, a.Published.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture), null, "en", null,
        ContentHash.Of(Encoding.UTF8.GetBytes(a.Text)), a.Text);
}
