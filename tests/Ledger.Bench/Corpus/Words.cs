namespace Ledger.Bench.Corpus;

/// <summary>The word lists articles are composed from.</summary>
internal static class Words
{
    public static readonly string[] Countries =
    [
        "Arvenia", "Bellmark", "Corvale", "Dastria", "Elmoria", "Fenwick", "Galvania", "Hollandt", "Istrava", "Jorvik",
        "Kestrel", "Lunaria", "Merovia", "Norland", "Ostmark", "Pellara", "Quinlan", "Rovania", "Sardova", "Tirella",
    ];

    public static readonly string[] FirstNames =
    [
        "Anna", "Boris", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hakan", "Irina", "Jonas", "Katya", "Leon", "Mira",
        "Nikolai", "Olga", "Pavel", "Rosa", "Stefan", "Tamara", "Viktor", "Yusuf", "Zora",
    ];

    public static readonly string[] LastNames =
    [
        "Abramov", "Berglund", "Castellan", "Dorn", "Erdem", "Falk", "Grimaldi", "Halvorsen", "Ivanko", "Jansen", "Kovac",
        "Lindqvist", "Moreau", "Novak", "Orlov", "Petrenko", "Quist", "Rahimi", "Sokolova", "Tanaka", "Umarov", "Varga",
        "Wolski", "Yilmaz", "Zeller", "Aksoy", "Brandt", "Celik", "Demir", "Eklund",
    ];

    public static readonly string[] Roles = ["Head of the delegation", "Foreign minister", "Deputy foreign minister", "Presidential aide", "Chief negotiator", "Spokesperson"];

    public static readonly string[] Tracks =
    [
        "Prisoner exchanges", "Bodies", "Ceasefire", "Leaders summit", "Memoranda", "Working groups", "Humanitarian corridors",
        "Energy infrastructure", "Grain corridor", "Sanctions", "Nuclear plant", "Children", "Civilians", "Black Sea shipping",
    ];

    public static readonly string[] Outlets =
    [
        "Northern Wire", "Daily Courier", "Harbour Times", "Meridian News", "Capital Observer", "Coastal Herald", "Evening Ledger",
        "Frontier Post", "Global Dispatch", "Morning Star", "Pacific Review", "Republic Gazette", "Summit Press", "Union Tribune",
        "unknown",
    ];

    public static readonly string[] Places = ["Istanbul", "Geneva", "Vienna", "Doha", "Riyadh", "Helsinki", "Oslo", "Ankara", "Minsk", "Abu Dhabi", "Rome", "Budapest"];

    public static readonly string[] Topics = ["ceasefire", "exchanges", "summit", "territory", "sanctions", "security-guarantees", "energy", "shipping", "monitoring", "elections"];

    public static readonly string[] Documents = ["Memorandum", "Draft agreement", "List of prisoners", "Position paper", "Roadmap", "Letter"];

    public static readonly string[] Weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    public static readonly string[] Speech = ["said", "told reporters", "stated", "announced", "confirmed", "claimed", "stressed", "noted", "insisted"];

    public static readonly string[] Verbs =
    [
        "proposed", "agreed to", "rejected", "would consider", "handed over", "completed", "began", "called for", "welcomed",
        "questioned", "postponed", "resumed", "offered", "demanded",
    ];

    public static readonly string[] Objects =
    [
        "an exchange of prisoners of war", "the return of bodies", "a thirty-day ceasefire", "a meeting of leaders",
        "a new memorandum", "three working groups", "a humanitarian corridor", "a moratorium on strikes on energy facilities",
        "safe passage for grain ships", "the release of detained civilians", "the return of deported children",
        "monitoring by international observers", "a schedule for the next round", "an expanded delegation",
    ];

    public static readonly string[] Qualifiers =
    [
        "without preconditions", "within two weeks", "as a first step", "under the supervision of the mediators",
        "after lengthy consultations", "in a closed session", "despite earlier objections", "according to people familiar with the talks",
        "in a joint statement", "at a press conference", "in a televised address", "in remarks to state media",
    ];

    public static readonly string[] Fillers =
    [
        "The talks took place behind closed doors", "Journalists waited outside the venue for several hours",
        "Neither side published the agenda in advance", "Analysts cautioned against expecting a quick breakthrough",
        "The mediators thanked both delegations for their constructive approach", "Security around the building was tight",
        "Fighting continued along the front line during the talks", "Officials declined to comment on the details",
        "The previous round ended without a joint statement", "Markets reacted calmly to the news",
        "Diplomats described the atmosphere as businesslike", "Several observers noted the unusually short duration",
    ];

    public static readonly string[] Outcomes = ["progress", "deadlock", "a shift in tone", "cautious optimism", "frustration", "a narrowing of differences"];
}
