using Ledger.Domain.Recording;
using Ledger.Domain.Negotiations;

namespace Ledger.Import;

/// <summary>Reads <c>negotiation.yaml</c>: the registration events of a negotiation.</summary>
public static class NegotiationFile
{
    public const string FileName = "negotiation.yaml";

    private static readonly HashSet<string> Known = ["negotiation", "title", "description", "parties", "actors", "tracks", "categories"];

    public static IReadOnlyList<object> Read(Fields fields)
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

        foreach (var actor in fields.Mappings("actors"))
        {
            actor.RejectUnknown(new HashSet<string> { "id", "name", "party", "role", "aliases" });
            var actorId = actor.Required("id");
            Recorder.CheckId(actor, "id", actorId);
            var partyId = actor.Optional("party");
            if (partyId is not null && !parties.Contains(partyId))
            {
                actor.Error("party", $"unknown party '{partyId}'", actor.NodeOf("party"));
            }

            events.Add(new ActorRegistered(id, actorId, actor.Required("name"), partyId, actor.Optional("role"), actor.StringList("aliases")));
        }

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
}
