using Ledger.Domain.Negotiations;

namespace Ledger.Import;

/// <summary>Reads <c>negotiation.yaml</c>: the registration events of a negotiation.</summary>
public static class NegotiationFile
{
    public const string FileName = "negotiation.yaml";

    private static readonly HashSet<string> Known = ["negotiation", "title", "description", "parties", "actors", "tracks"];

    public static IReadOnlyList<object> Read(YamlFields fields)
    {
        fields.RejectUnknown(Known);
        var id = fields.Required("negotiation");
        CheckKey(fields, "negotiation", id);
        var events = new List<object> { new NegotiationOpened(id, fields.Required("title"), fields.Optional("description")) };
        var parties = new HashSet<string>();
        foreach (var party in fields.Mappings("parties"))
        {
            party.RejectUnknown(new HashSet<string> { "id", "name", "role" });
            var partyId = party.Required("id");
            CheckKey(party, "id", partyId);
            parties.Add(partyId);
            events.Add(new PartyRegistered(id, partyId, party.Required("name"), party.Enum<PartyRole>("role", required: false) ?? PartyRole.Party));
        }

        foreach (var actor in fields.Mappings("actors"))
        {
            actor.RejectUnknown(new HashSet<string> { "id", "name", "party", "role", "aliases" });
            var actorId = actor.Required("id");
            CheckKey(actor, "id", actorId);
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
            CheckKey(track, "id", trackId);
            events.Add(new TrackOpened(id, trackId, track.Required("title"), track.Optional("description")));
        }

        return events;
    }

    internal static void CheckKey(YamlFields fields, string field, string value)
    {
        if (value.Length > 0 && !value.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
        {
            fields.Error(field, $"'{value}' must use only a-z, 0-9 and '-'", fields.NodeOf(field));
        }
    }
}
