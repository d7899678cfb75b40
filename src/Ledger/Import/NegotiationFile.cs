using Ledger.Domain.Recording;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Provenance;

namespace Ledger.Import;

/// <summary>Reads <c>negotiation.yaml</c>: the registration events of a negotiation.</summary>
public static class NegotiationFile
{
    public const string FileName = "negotiation.yaml";

    private static readonly HashSet<string> Known = ["negotiation", "title", "description", "parties", "actors", "tracks", "categories"];

    /// <summary>
    /// The registration events of the file, or none with every error in <paramref name="fields"/>. Given
    /// <paramref name="sources"/>, a role's source must be registered and its quote occur in the source's text.
    /// </summary>
    public static IReadOnlyList<object> Read(Fields fields, Func<string, SourceText?>? sources = null)
    {
        fields.RejectUnknown(Known);
        var id = fields.Required("negotiation");
        Recorder.CheckId(fields, "negotiation", id);
        var events = new List<object> { new NegotiationOpened(id, fields.Required("title"), fields.Optional("description")) };
        var parties = new HashSet<string>();
        foreach (var party in fields.Mappings("parties"))
        {
            party.RejectUnknown(new HashSet<string> { "id", "name", "role" });
            var partyId = party.Required("id");
            Recorder.CheckId(party, "id", partyId);
            parties.Add(partyId);
            var role = party.Optional("role") ?? "party";
            Recorder.CheckId(party, "role", role);
            events.Add(new PartyRegistered(id, partyId, party.Required("name"), role));
        }

        var roles = new List<RoleHeld>();
        foreach (var actor in fields.Mappings("actors"))
        {
            actor.RejectUnknown(new HashSet<string> { "id", "name", "party", "role", "aliases", "roles" });
            var actorId = actor.Required("id");
            Recorder.CheckId(actor, "id", actorId);
            var partyId = actor.Optional("party");
            if (partyId is not null && !parties.Contains(partyId))
            {
                actor.Error("party", $"unknown party '{partyId}'", actor.NodeOf("party"));
            }

            events.Add(new ActorRegistered(id, actorId, actor.Required("name"), partyId, actor.Optional("role"), actor.StringList("aliases")));
            roles.AddRange(ReadRoles(actor, id, actorId, partyId, parties, sources));
        }

        // After every actor: a role's registration follows the registration of its holder.
        events.AddRange(roles);

        foreach (var track in fields.Mappings("tracks"))
        {
            track.RejectUnknown(new HashSet<string> { "id", "title", "description" });
            var trackId = track.Required("id");
            Recorder.CheckId(track, "id", trackId);
            events.Add(new TrackOpened(id, trackId, track.Required("title"), track.Optional("description")));
        }

        foreach (var category in fields.Mappings("categories"))
        {
            category.RejectUnknown(new HashSet<string> { "id", "name" });
            var categoryId = category.Required("id");
            Recorder.CheckId(category, "id", categoryId);
            events.Add(new CategoryRegistered(id, categoryId, category.Required("name")));
        }

        return events;
    }

    private static readonly HashSet<string> RoleFields = ["role", "party", "title", "from", "to", "source", "quote"];

    /// <summary>
    /// <c>roles: [{role, party, title, from, to, source, quote}]</c> under an actor: each a span of time in which one
    /// source has the actor holding a role for a party (the actor's own party unless it names another).
    /// </summary>
    private static List<RoleHeld> ReadRoles(Fields actor, string negotiationId, string actorId, string? actorParty, HashSet<string> parties, Func<string, SourceText?>? sources)
    {
        var read = new List<RoleHeld>();
        foreach (var entry in actor.Mappings("roles"))
        {
            var before = entry.Errors.Count;
            entry.RejectUnknown(RoleFields);
            var role = entry.Required("role");
            Recorder.CheckId(entry, "role", role);
            var partyId = entry.Optional("party") ?? actorParty;
            if (entry.Optional("party") is { } named && !parties.Contains(named))
            {
                entry.Error("party", $"unknown party '{named}'", entry.NodeOf("party"));
            }

            var title = entry.Required("title");
            var from = Recorder.ReadDate(entry, "from", required: false);
            var to = Recorder.ReadDate(entry, "to", required: false);
            if (from is not null && to is not null && to.Latest < from.Earliest)
            {
                entry.Error("to", $"'{to}' is before from '{from}'", entry.NodeOf("to"));
            }

            var source = entry.Required("source");
            Recorder.CheckId(entry, "source", source);
            var quote = entry.Optional("quote");
            if (sources is not null && Recorder.IsId(source))
            {
                if (sources(source) is not { } text)
                {
                    entry.Error("source", $"unknown source '{source}' (register it first: seeds/{source}.txt with seeds/{source}.yaml)", entry.NodeOf("source"));
                }
                else if (quote is not null && QuoteLocator.Locate(text.Text, quote).Problem is QuoteProblem.NotFound or QuoteProblem.Empty)
                {
                    entry.Error("quote", $"not found verbatim in source '{source}': \"{Fields.Shorten(quote)}\"; {QuoteMismatch.Explain(text.Text, quote)}", entry.NodeOf("quote"));
                }
            }

            if (entry.Errors.Count == before)
            {
                read.Add(new RoleHeld(negotiationId, actorId, role, partyId, title, from, to, source, quote));
            }
        }

        if (read.GroupBy(r => (r.Role, r.PartyId, r.SourceId)).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            actor.Error("roles", $"role '{twice.Key.Role}' is registered twice from source '{twice.Key.SourceId}': one source gives one span of a role", actor.NodeOf("roles"));
        }

        return read;
    }
}
