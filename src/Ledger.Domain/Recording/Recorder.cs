using Ledger.Domain.Developments;
using Ledger.Domain.Negotiations;
using Ledger.Domain.Provenance;

namespace Ledger.Domain.Recording;

/// <summary>A registered source as a write is checked against it: its text, publication date and outlet.</summary>
public sealed record SourceText(string Id, string Text, DateOnly Published, string? Outlet = null)
{
    /// <summary>Whether both are the same outlet's articles: the same source, or the same named outlet.</summary>
    public bool SameOutletAs(SourceText other) =>
        Id == other.Id || Outlet is { Length: > 0 } outlet && !outlet.Equals("unknown", StringComparison.OrdinalIgnoreCase) && string.Equals(outlet, other.Outlet, StringComparison.OrdinalIgnoreCase);
}

/// <summary>One file, or one request body, proposing reports.</summary>
public sealed record ProposedFile(string Name, InputMap Root);

/// <summary>A report the ledger already holds, with the event that last set its content and who recorded it.</summary>
public sealed record RecordedClaim(Development Development, Guid EventId, string? RecordedBy);

/// <summary>What the ledger already says about a development key: the track its reports are on and their kinds.</summary>
public sealed record DevelopmentOnRecord(string NegotiationId, string Key, string TrackId, IReadOnlySet<string> Kinds);

/// <summary>
/// What the ledger holds that a write is decided against. Each lookup answers from what the caller loaded for the
/// files at hand (<see cref="FileReading.ClaimIds"/>, <see cref="FileReading.References"/>,
/// <see cref="FileReading.DevelopmentKeys"/>).
/// </summary>
public sealed record LedgerState(
    Func<string, Negotiation?> Negotiation,
    Func<string, SourceText?> Source,
    Func<Guid, RecordedClaim?> Claim,
    Func<string, string, DevelopmentOnRecord?> Development);

/// <summary>What a writer may do to reports that others coded.</summary>
public enum RecordingRole
{
    /// <summary>Records new reports, and revises or withdraws only the reports whose coding is its own.</summary>
    Writer,

    /// <summary>May also revise or withdraw reports that another writer coded.</summary>
    Editor,
}

/// <summary>
/// Who writes, when, and how a changed report is treated. <see cref="Role"/> is <see cref="RecordingRole.Editor"/>
/// unless the caller says otherwise: the command line runs as the operator, who holds the database's own
/// credentials; the HTTP API passes the role of the key a request was made with.
/// </summary>
public sealed record RecordingOptions(string RecordedBy, DateTimeOffset Now, bool Strict = false, string? Reason = null)
{
    public RecordingRole Role { get; init; } = RecordingRole.Editor;

    /// <summary>
    /// Why this writer may not revise or withdraw <paramref name="recorded"/>, or null when it may: a report whose
    /// coding stands as another writer's (who recorded it, or revised it last) needs an editor.
    /// </summary>
    public string? MayNotAmend(RecordedClaim recorded, string what) =>
        Role < RecordingRole.Editor && recorded.RecordedBy is { } by && !string.Equals(by, RecordedBy, StringComparison.Ordinal)
            ? $"was coded by '{by}'; {what} another writer's coding needs the editor role, and '{RecordedBy}' is a writer"
            : null;
}

/// <summary>A development entry of a file: its key, track, and the defaults its reports inherit.</summary>
public sealed record DevelopmentDeclaration(string File, int Line, string Key, string TrackId, IReadOnlyDictionary<string, string> Defaults);

/// <summary>A file read against its negotiation's registry and its sources, before anything recorded is consulted.</summary>
public sealed record FileReading(string File, string? NegotiationId, IReadOnlyList<Development> Claims, IReadOnlyList<DevelopmentDeclaration> Declarations, List<InputError> Errors)
{
    /// <summary>Where each claim's report is in the file: its line and field path.</summary>
    public IReadOnlyDictionary<Guid, (int Line, string Path)> Locations { get; init; } = new Dictionary<Guid, (int, string)>();

    public IEnumerable<Guid> ClaimIds => Claims.Select(c => c.Claim.ClaimId);

    /// <summary>The earlier reports its corrections and retractions name.</summary>
    public IEnumerable<Guid> References => Claims.Select(Recorder.Amends).Where(id => id != Guid.Empty);

    /// <summary>The development keys its reports are about, and the proposals its answers name.</summary>
    public IEnumerable<string> DevelopmentKeys => Claims.Select(c => c.Claim.DevelopmentKey)
        .Concat(Claims.Select(Recorder.AgreementNamed).OfType<string>())
        .Concat(Claims.OfType<ProposalAnswered>().Select(a => a.ProposalKey))
        .Concat(Claims.OfType<ContradictionNoted>().SelectMany(c => c.Between)).Distinct(StringComparer.Ordinal);
}

/// <summary>What a write does to one file: the events to append, or why nothing is.</summary>
public sealed record FileDecision(string File, IReadOnlyList<object> Events, IReadOnlyList<RecordedClaim> AlreadyRecorded, IReadOnlyList<InputError> Errors)
{
    public bool Rejected => Errors.Count > 0;

    /// <summary>Refused (at least in part) because the writer's role does not allow it, not because the input is wrong.</summary>
    public bool NeedsEditor { get; init; }

    public IEnumerable<Development> Appended => Events.OfType<Development>();

    public IEnumerable<ReportRevised> Revised => Events.OfType<ReportRevised>();
}

public enum WithdrawalRefusal
{
    None,
    NotRecorded,
    NoReason,
    NeedsEditor,
}

public sealed record WithdrawalDecision(ReportWithdrawn? Withdrawn, WithdrawalRefusal Refusal, string? Error);

/// <summary>
/// Decides a write: given what the ledger holds and the reports proposed by any front end (a YAML file, a JSON
/// body), the events to append or every error, with its field path. No I/O and no clock: the caller loads the state
/// and passes the time. A file is all or nothing.
/// </summary>
public static class Recorder
{
    /// <summary>How many errors one file reports; past that, one line says how many more there were.</summary>
    public const int MaxErrorsPerFile = 100;

    public const string NegotiationField = "negotiation";
    public const string DevelopmentsField = "developments";

    private static readonly HashSet<string> CommonFields =
    [
        "key", "track", "also-tracks", "kind", "occurred", "source", "quote", "prefix", "suffix", "said-by", "said-by-party", "said-by-role",
        "role-as-given", "via", "asserted-by", "inferred", "note",
    ];

    private static readonly HashSet<string> DevelopmentOnlyFields = ["reports"];

    private static readonly HashSet<string> AnyKindField = [.. CommonFields, .. DevelopmentKinds.All.SelectMany(k => k.Fields)];

    /// <summary>The negotiation a proposal names, if it names one as a single value.</summary>
    public static string? NegotiationOf(InputMap root) => root.Find(NegotiationField) is InputScalar { Value: { } id } && IsId(id) ? id : null;

    /// <summary>The source ids a proposal cites, so only those sources need loading before it is read.</summary>
    public static IReadOnlySet<string> SourcesCitedIn(InputMap root)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Input>();
        pending.Push(root);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case InputMap map:
                    foreach (var entry in map.Entries)
                    {
                        if (entry is { Key: "source", Value: InputScalar { Value: { } id } } && IsId(id))
                        {
                            ids.Add(id);
                        }
                        else
                        {
                            pending.Push(entry.Value);
                        }
                    }

                    break;
                case InputList list:
                    foreach (var item in list.Items)
                    {
                        pending.Push(item);
                    }

                    break;
            }
        }

        return ids;
    }

    /// <summary>Reads a proposal into claims against its negotiation's registry and its sources' texts.</summary>
    public static FileReading Read(ProposedFile file, Func<string, Negotiation?> negotiations, Func<string, SourceText?> sources)
    {
        var errors = new List<InputError>();
        RefuseUnfinished(file, errors);
        if (errors.Count > 0)
        {
            // The rest of an unfinished draft would only repeat its TODOs as unknown kinds and keys.
            return new FileReading(file.Name, NegotiationOf(file.Root), [], [], errors);
        }

        var fields = new Fields(file.Name, file.Root, errors);
        fields.RejectUnknown(new HashSet<string> { NegotiationField, DevelopmentsField });
        var negotiationId = fields.Required(NegotiationField);
        var negotiation = negotiationId.Length == 0 ? null : negotiations(negotiationId);
        if (negotiationId.Length > 0 && negotiation is null)
        {
            fields.Error(NegotiationField, $"unknown negotiation '{negotiationId}' (register it first)", fields.NodeOf(NegotiationField));
        }

        var claims = new List<Development>();
        var locations = new Dictionary<Guid, (int, string)>();
        var declarations = new List<DevelopmentDeclaration>();
        var developments = fields.Mappings(DevelopmentsField);
        if (developments.Count == 0 && errors.Count == 0)
        {
            fields.Error(DevelopmentsField, "is required: at least one development with at least one report");
        }

        foreach (var development in developments)
        {
            development.RejectUnknown(new HashSet<string>([.. AnyKindField, .. DevelopmentOnlyFields]));
            var reports = development.Mappings("reports");
            if (reports.Count == 0)
            {
                development.Error("reports", "a development needs at least one report (source and quote)");
            }

            if (development.Optional("key") is { } declaredKey)
            {
                declarations.Add(new DevelopmentDeclaration(file.Name, development.Line, declaredKey, development.Optional("track") ?? "", Defaults(development.Map)));
            }

            if (negotiation is null)
            {
                continue;
            }

            // A field the development declares for its reports must be used by the kind of at least one of them.
            var kinds = reports.Select(r => development.Overlay(r.Map, r.Path).Map.Find("kind") is InputScalar { Value: { } k } ? k : development.Map.Find("kind") is InputScalar { Value: { } d } ? d : null)
                .Select(k => k is null ? null : DevelopmentKinds.Named(k)).OfType<DevelopmentKind>().ToList();
            if (kinds.Count == reports.Count && kinds.Count > 0)
            {
                foreach (var entry in development.Map.Entries.Where(e => e.Key != "reports" && !kinds.Any(k => UsedBy(k, e.Key))))
                {
                    errors.Add(new InputError(file.Name, entry.KeyLine, development.Qualified(entry.Key), $"is not a field of kind {string.Join(" or ", kinds.Select(k => $"'{k.Name}'").Distinct())} (its fields: {string.Join(", ", kinds.SelectMany(k => k.Fields).Distinct())})"));
                }
            }

            foreach (var report in reports)
            {
                var merged = development.Overlay(report.Map, report.Path);
                merged.RejectUnknown(AnyKindField);
                if (ReadClaim(merged, negotiation, sources) is { } claim)
                {
                    claims.Add(claim);
                    locations.TryAdd(claim.Claim.ClaimId, (report.Line, report.Path));
                }
            }
        }

        foreach (var duplicate in claims.GroupBy(c => c.Claim.ClaimId).Where(g => g.Count() > 1).Select(g => g.First()))
        {
            fields.Error(DevelopmentsField, $"the report of '{duplicate.Claim.DevelopmentKey}' from '{duplicate.Claim.Provenance.SourceId}' quoting \"{Fields.Shorten(duplicate.Claim.Provenance.Quote.Exact)}\" appears twice");
        }

        return new FileReading(file.Name, negotiation?.Id, claims, declarations, errors) { Locations = locations };
    }

    /// <summary>What a draft leaves for the analyst: a value that is still <c>TODO</c> records nothing.</summary>
    public const string Unfinished = "TODO";

    /// <summary>
    /// A draft (<c>ledger draft</c>) marks what the analyst must decide with TODO; each one left is refused by its
    /// line and field, so an unfinished draft never records a half-coded report.
    /// </summary>
    private static void RefuseUnfinished(ProposedFile file, List<InputError> errors)
    {
        var pending = new Stack<(Input Node, string Path)>();
        pending.Push((file.Root, ""));
        while (pending.TryPop(out var item))
        {
            switch (item.Node)
            {
                case InputScalar { Value: { } value } scalar when value.Trim().StartsWith(Unfinished, StringComparison.Ordinal):
                    errors.Add(new InputError(file.Name, scalar.Line, item.Path.Length == 0 ? "(file)" : item.Path, "is still TODO: this is an unfinished draft; fill it in, or delete the development it belongs to"));
                    break;
                case InputMap map:
                    foreach (var entry in map.Entries.Reverse())
                    {
                        pending.Push((entry.Value, item.Path.Length == 0 ? entry.Key : $"{item.Path}.{entry.Key}"));
                    }

                    break;
                case InputList list:
                    for (var i = list.Items.Count - 1; i >= 0; i--)
                    {
                        pending.Push((list.Items[i], $"{item.Path}[{i}]"));
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// A development is declared once: the same key in two files must say the same of it (its track and the defaults
    /// its reports inherit), or one of them is a mistake that would silently change what the other file's reports say.
    /// </summary>
    public static void CheckDeclarations(IReadOnlyList<FileReading> files, Dictionary<string, DevelopmentDeclaration>? declaredEarlier = null)
    {
        var first = declaredEarlier ?? new Dictionary<string, DevelopmentDeclaration>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var declaration in file.Declarations)
            {
                var id = $"{file.NegotiationId}/{declaration.Key}";
                if (!first.TryGetValue(id, out var earlier))
                {
                    first[id] = declaration;
                }
                else if (earlier.File != declaration.File
                    && declaration.Defaults.Where(d => earlier.Defaults.TryGetValue(d.Key, out var other) && other != d.Value).Select(d => d.Key).ToList() is { Count: > 0 } differing)
                {
                    file.Errors.Add(new InputError(file.File, declaration.Line, DevelopmentsField,
                        $"development '{declaration.Key}' is also declared in {earlier.File} (line {earlier.Line}) with other {string.Join(", ", differing)}; what a development declares for its reports is declared once: give a report that says otherwise its own fields"));
                }
            }
        }
    }

    /// <summary>
    /// Decides each file on its own against the ledger and the files before it in <paramref name="files"/>.
    /// <paramref name="declaredEarlier"/> carries the development declarations of files decided before these, when
    /// one import is decided in several batches.
    /// </summary>
    public static IReadOnlyList<FileDecision> Decide(IReadOnlyList<FileReading> files, LedgerState ledger, RecordingOptions options, Dictionary<string, DevelopmentDeclaration>? declaredEarlier = null)
    {
        CheckDeclarations(files, declaredEarlier);
        var inBatch = new Dictionary<Guid, Development>();
        var keysInBatch = new Dictionary<(string, string), (string Track, HashSet<string> Kinds)>();
        var decisions = new List<FileDecision>();
        foreach (var file in files)
        {
            var decision = DecideFile(file, ledger, options, inBatch, keysInBatch);
            decisions.Add(decision);
            if (decision.Rejected)
            {
                continue;
            }

            foreach (var claim in decision.Appended.Concat(decision.Revised.Select(r => r.After)))
            {
                inBatch[claim.Claim.ClaimId] = claim;
                var key = (claim.Claim.NegotiationId, claim.Claim.DevelopmentKey);
                if (!keysInBatch.TryGetValue(key, out var known))
                {
                    keysInBatch[key] = known = (claim.Claim.TrackId, []);
                }

                known.Kinds.Add(claim.Kind);
            }
        }

        return decisions;
    }

    /// <summary>The whole decision for reports given as parsed files, with every lookup served by <paramref name="ledger"/>.</summary>
    public static IReadOnlyList<FileDecision> Decide(IReadOnlyList<ProposedFile> files, LedgerState ledger, RecordingOptions options) =>
        Decide([.. files.Select(f => Read(f, ledger.Negotiation, ledger.Source))], ledger, options);

    private static FileDecision DecideFile(
        FileReading file,
        LedgerState ledger,
        RecordingOptions options,
        Dictionary<Guid, Development> inBatch,
        Dictionary<(string, string), (string Track, HashSet<string> Kinds)> keysInBatch)
    {
        var errors = new List<InputError>(file.Errors);
        void Error(Development claim, string field, string message)
        {
            var (line, path) = file.Locations.TryGetValue(claim.Claim.ClaimId, out var at) ? at : (0, $"{DevelopmentsField}[{claim.Claim.DevelopmentKey}]");
            errors.Add(new InputError(file.File, line, $"{path}.{field}", message));
        }

        var inFile = file.Claims.ToDictionary(c => c.Claim.ClaimId);
        Development? Find(Guid id) => inFile.GetValueOrDefault(id) ?? inBatch.GetValueOrDefault(id) ?? ledger.Claim(id)?.Development;

        (string Track, IReadOnlySet<string> Kinds)? OnRecord(string negotiationId, string key)
        {
            var kinds = new HashSet<string>(StringComparer.Ordinal);
            string? track = null;
            foreach (var claim in file.Claims.Where(c => c.Claim.DevelopmentKey == key))
            {
                track ??= claim.Claim.TrackId;
                kinds.Add(claim.Kind);
            }

            if (keysInBatch.TryGetValue((negotiationId, key), out var batch))
            {
                track ??= batch.Track;
                kinds.UnionWith(batch.Kinds);
            }

            if (ledger.Development(negotiationId, key) is { } recorded)
            {
                track ??= recorded.TrackId;
                kinds.UnionWith(recorded.Kinds);
            }

            return track is null ? null : (track, (IReadOnlySet<string>)kinds);
        }

        var events = new List<object>();
        var already = new List<RecordedClaim>();
        var needsEditor = false;
        foreach (var claim in file.Claims)
        {
            var (negotiationId, key, trackId) = (claim.Claim.NegotiationId, claim.Claim.DevelopmentKey, claim.Claim.TrackId);

            // A development lives on one track: a key reused on another track would show one development twice.
            var recordedClaim = ledger.Claim(claim.Claim.ClaimId);
            if (recordedClaim is not null && recordedClaim.Development.Claim.TrackId != trackId)
            {
                Error(claim, "track", $"this report is recorded on track '{recordedClaim.Development.Claim.TrackId}'; a report does not move to another track by revision: withdraw it (ledger withdraw --claim {claim.Claim.ClaimId}) and record it again");
                continue;
            }

            var recordedTrack = keysInBatch.TryGetValue((negotiationId, key), out var batchKey) ? batchKey.Track : ledger.Development(negotiationId, key)?.TrackId;
            if (recordedTrack is not null && recordedTrack != trackId)
            {
                Error(claim, "track", $"development '{key}' is on track '{recordedTrack}' already; a development belongs to one track (use another key for a development on '{trackId}')");
                continue;
            }

            if (AgreementNamed(claim) is { } agreementKey
                && (OnRecord(negotiationId, agreementKey) is not { } agreement || !agreement.Kinds.Contains("agreement-reached")))
            {
                Error(claim, claim is TotalReported ? "agreement" : "implements.agreement", $"'{agreementKey}' is not an agreement in the ledger or in this write; name the key of an agreement-reached development");
            }

            switch (claim)
            {
                case ContradictionNoted contradiction:
                    if (contradiction.Between.Distinct(StringComparer.Ordinal).Count() != 2)
                    {
                        Error(claim, "between", "names the two developments that contradict each other");
                    }

                    foreach (var other in contradiction.Between)
                    {
                        if (OnRecord(negotiationId, other) is not { } linked)
                        {
                            Error(claim, "between", $"'{other}' is not a development in the ledger or in this write");
                        }
                        else if (linked.Track != trackId)
                        {
                            Error(claim, "between", $"'{other}' is on track '{linked.Track}'; a contradiction is noted on the track of the developments it links");
                        }
                    }

                    break;
                case ProposalAnswered answer:
                    if (OnRecord(negotiationId, answer.ProposalKey) is not { } proposal || !proposal.Kinds.Contains("proposal-made"))
                    {
                        Error(claim, "proposal", $"'{answer.ProposalKey}' is not a proposal in the ledger or in this write; name the key of a proposal-made development");
                    }
                    else if (proposal.Track != trackId)
                    {
                        Error(claim, "proposal", $"proposal '{answer.ProposalKey}' is on track '{proposal.Track}', this answer on '{trackId}'; an answer belongs to its proposal's track");
                    }

                    break;
                case ReportCorrected or ReportRetracted:
                    var field = claim is ReportCorrected ? "corrects" : "retracts";
                    var target = Find(Amends(claim));
                    var (targetSource, ownSource) = target is null ? (null, null) : (ledger.Source(target.Claim.Provenance.SourceId), ledger.Source(claim.Claim.Provenance.SourceId));
                    if (target is null)
                    {
                        Error(claim, field, "names a report that is not recorded: check its development, source and quote");
                    }
                    else if (targetSource is null || ownSource is null || !ownSource.SameOutletAs(targetSource))
                    {
                        Error(claim, field, $"names a report of source '{target.Claim.Provenance.SourceId}' ({targetSource?.Outlet ?? "outlet unknown"}), but this {claim.Kind} comes from '{claim.Claim.Provenance.SourceId}' ({ownSource?.Outlet ?? "outlet unknown"}): an outlet corrects or retracts only its own reports (another outlet's contrary report is a claim of its own, and the two stand in dispute)");
                    }
                    else if (target.Claim.TrackId != trackId)
                    {
                        Error(claim, field, $"names a report on track '{target.Claim.TrackId}', but this {claim.Kind} is on '{trackId}'; put it on the report's track");
                    }

                    break;
            }

            if (recordedClaim is null)
            {
                if (inBatch.TryGetValue(claim.Claim.ClaimId, out var earlier))
                {
                    if (ContentDiff.Between(earlier, claim) is { Count: > 0 } differences)
                    {
                        Error(claim, "(report)", $"the same report is in an earlier file of this import with other content ({Describe(differences)})");
                    }
                    else
                    {
                        // Recorded by an earlier file of this write, in the same transaction.
                        already.Add(new RecordedClaim(earlier, Guid.Empty, options.RecordedBy));
                    }

                    continue;
                }

                events.Add(claim);
                continue;
            }

            var changes = ContentDiff.Between(recordedClaim.Development, claim);
            if (changes.Count == 0)
            {
                already.Add(recordedClaim);
            }
            else if (options.Strict)
            {
                Error(claim, "(report)", $"is recorded with other content: {Describe(changes)}; nothing was changed (without strict mode this is recorded as a revision)");
            }
            else if (options.MayNotAmend(recordedClaim, "revising") is { } refusal)
            {
                Error(claim, "(report)", $"is recorded with other content ({Describe(changes)}), and {refusal}; nothing was changed");
                needsEditor = true;
            }
            else
            {
                events.Add(new ReportRevised(claim.Claim.ClaimId, recordedClaim.Development, claim, changes, recordedClaim.EventId, options.RecordedBy, options.Now, options.Reason));
            }
        }

        return errors.Count == 0
            ? new FileDecision(file.File, events, already, [])
            : new FileDecision(file.File, [], [], Bounded(file.File, errors)) { NeedsEditor = needsEditor };
    }

    /// <summary>Withdraws a report the recorder coded by mistake: the events to append, or why not.</summary>
    public static (ReportWithdrawn? Withdrawn, string? Error) Withdraw(RecordedClaim? recorded, Guid claimId, string reason, RecordingOptions options)
    {
        var decision = DecideWithdrawal(recorded, claimId, reason, options);
        return (decision.Withdrawn, decision.Error);
    }

    /// <summary>A withdrawal decided: the event to append, or why not and which kind of refusal it is.</summary>
    public static WithdrawalDecision DecideWithdrawal(RecordedClaim? recorded, Guid claimId, string reason, RecordingOptions options)
    {
        if (recorded is null)
        {
            return new(null, WithdrawalRefusal.NotRecorded, $"no report {claimId} is recorded (it may have been withdrawn already)");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return new(null, WithdrawalRefusal.NoReason, "a withdrawal needs a reason: it stays on the record");
        }

        if (options.MayNotAmend(recorded, "withdrawing") is { } refusal)
        {
            return new(null, WithdrawalRefusal.NeedsEditor, $"report {claimId} {refusal}");
        }

        return new(new ReportWithdrawn(claimId, recorded.Development, recorded.EventId, options.RecordedBy, options.Now, reason), WithdrawalRefusal.None, null);
    }

    /// <summary>The agreement an exchange carries out or a running total counts, if it names one.</summary>
    public static string? AgreementNamed(Development claim) => claim switch
    {
        ExchangeReported { Implements: { } implementation } => implementation.AgreementKey,
        TotalReported total => total.AgreementKey,
        _ => null,
    };

    /// <summary>The earlier report a correction or retraction names, or <see cref="Guid.Empty"/>.</summary>
    public static Guid Amends(Development claim) => claim switch
    {
        ReportCorrected r => r.SupersededClaimId,
        ReportRetracted r => r.RetractedClaimId,
        _ => Guid.Empty,
    };

    public static FuzzyDate? ReadDate(Fields f, string field, bool required)
    {
        var text = required ? f.Required(field) : f.Optional(field);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (FuzzyDate.TryParse(text, out var date))
        {
            return date;
        }

        f.Error(field, $"'{Fields.Shorten(text)}' is not a date (2025-07-23, 2025-07, 'before 2025-07-23', 'by 2025-08-31' or 'by end of 2025-08') in the years {FuzzyDate.MinYear} to {FuzzyDate.MaxYear}", f.NodeOf(field));
        return null;
    }

    private static string Describe(IReadOnlyList<FieldChange> changes) =>
        string.Join("; ", changes.Take(5).Select(c => c.ToString())) + (changes.Count > 5 ? $"; and {changes.Count - 5} more" : "");

    private static List<InputError> Bounded(string file, List<InputError> errors) =>
        errors.Count <= MaxErrorsPerFile
            ? errors
            : [.. errors.Take(MaxErrorsPerFile), new InputError(file, 0, "(file)", $"and {errors.Count - MaxErrorsPerFile} more errors not listed; fix these and import again")];

    /// <summary>The fields a development declares for its reports, each as a comparable string.</summary>
    private static Dictionary<string, string> Defaults(InputMap development) =>
        development.Entries.Where(e => e.Key is not "reports" and not "key").DistinctBy(e => e.Key).ToDictionary(e => e.Key, e => Canonical(e.Value), StringComparer.Ordinal);

    private static string Canonical(Input input) => input switch
    {
        InputScalar s => s.Value ?? "~",
        InputList l => $"[{string.Join(',', l.Items.Select(Canonical))}]",
        InputMap m => $"{{{string.Join(',', m.Entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}:{Canonical(e.Value)}"))}}}",
        _ => "",
    };

    private static Development? ReadClaim(Fields f, Negotiation negotiation, Func<string, SourceText?> findSource)
    {
        var before = f.Errors.Count;
        var key = f.Required("key");
        CheckId(f, "key", key);
        var trackId = f.Required("track");
        if (trackId.Length > 0 && !negotiation.HasTrack(trackId))
        {
            f.Error("track", $"unknown track '{trackId}'", f.NodeOf("track"));
        }

        var alsoTracks = f.StringList("also-tracks");
        foreach (var other in alsoTracks.Where(t => !negotiation.HasTrack(t) || t == trackId))
        {
            f.Error("also-tracks", other == trackId ? $"'{other}' is the development's own track" : $"unknown track '{other}'", f.NodeOf("also-tracks"));
        }

        var kindName = f.Required("kind");
        var kind = kindName.Length == 0 ? null : DevelopmentKinds.Named(kindName);
        if (kindName.Length > 0 && kind is null)
        {
            f.Error("kind", $"unknown kind '{Fields.Shorten(kindName)}'; expected one of: {string.Join(", ", DevelopmentKinds.Names)}", f.NodeOf("kind"));
        }

        if (kind is not null)
        {
            // A field the kind does not use would be dropped without a word: refuse it instead. (What a development
            // declares for its reports is checked against all their kinds, in Read.)
            foreach (var entry in f.Map.Entries.Where(e => !UsedBy(kind, e.Key)))
            {
                f.Errors.Add(new InputError(f.File, entry.KeyLine, f.Qualified(entry.Key), $"is not a field of kind '{kind.Name}' (its fields: {string.Join(", ", kind.Fields)})"));
            }
        }

        var undated = f.Optional("occurred") is { } when && when.Equals("undated", StringComparison.OrdinalIgnoreCase);
        var occurred = undated ? null : ReadDate(f, "occurred", required: true);
        var sourceId = f.Required("source");
        var source = sourceId.Length == 0 ? null : findSource(sourceId);
        if (undated && source is not null)
        {
            // The source gives no date: it had happened by the day it was published, and is shown as undated.
            occurred = new FuzzyDate(source.Published, DatePrecision.Undated);
        }
        if (sourceId.Length > 0 && source is null)
        {
            f.Error("source", $"unknown source '{Fields.Shorten(sourceId)}' (register it first: seeds/{sourceId}.txt with seeds/{sourceId}.yaml, or POST /api/sources)", f.NodeOf("source"));
        }

        var exact = f.Required("quote");
        QuoteAnchor? anchor = null;
        if (source is not null && exact.Length > 0)
        {
            var lookup = QuoteLocator.Locate(source.Text, exact, f.Optional("prefix"), f.Optional("suffix"));
            anchor = lookup.Anchor;
            switch (lookup.Problem)
            {
                case QuoteProblem.NotFound:
                    f.Error("quote", $"not found verbatim in source '{sourceId}': \"{Fields.Shorten(exact)}\"; {QuoteMismatch.Explain(source.Text, exact)}", f.NodeOf("quote"));
                    break;
                case QuoteProblem.Ambiguous:
                    f.Error("quote", $"occurs {lookup.Occurrences} times in source '{sourceId}'; add a prefix or suffix to make it unique", f.NodeOf("quote"));
                    break;
            }
        }

        var attribution = ReadAttribution(f, negotiation, occurred);
        if (f.Errors.Count > before || kind is null || anchor is null || occurred is null || source is null)
        {
            return null;
        }

        var claim = new Claim(
            Claim.IdFor(negotiation.Id, key, sourceId, exact),
            negotiation.Id,
            trackId,
            key,
            new Provenance.Provenance(sourceId, anchor, attribution, occurred, source.Published) { Outlet = source.Outlet },
            f.Optional("note"))
        {
            AlsoTracks = [.. alsoTracks.Distinct(StringComparer.Ordinal)],
            Inferred = ReadInferred(f),
        };

        var development = kind.Read(new KindReader(f, negotiation), claim);
        return f.Errors.Count > before ? null : development;
    }

    private static bool UsedBy(DevelopmentKind kind, string field) =>
        CommonFields.Contains(field) || DevelopmentOnlyFields.Contains(field) || kind.Fields.Contains(field) || !AnyKindField.Contains(field);

    /// <summary>Ids are what streams and addresses are made of: lower-case letters, digits and '-'.</summary>
    public static bool IsId(string value) => value.Length is > 0 and <= 200 && value.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-');

    public static void CheckId(Fields fields, string field, string value)
    {
        if (value.Length > 0 && !IsId(value))
        {
            fields.Error(field, $"'{Fields.Shorten(value)}' must use only a-z, 0-9 and '-'", fields.NodeOf(field));
        }
    }

    private static Attribution? ReadAttribution(Fields f, Negotiation negotiation, FuzzyDate? occurred)
    {
        var saidBy = f.Optional("said-by");
        var party = f.Optional("said-by-party");
        var saidByRole = f.Optional("said-by-role");
        var role = f.Optional("role-as-given");
        var via = f.Optional("via");
        var assertedBy = f.Optional("asserted-by");
        foreach (var (field, value) in new[] { ("said-by-party", party), ("asserted-by", assertedBy) })
        {
            if (value is not null && !negotiation.HasParty(value))
            {
                f.Error(field, $"unknown party '{value}'", f.NodeOf(field));
            }
        }

        if (saidByRole is not null)
        {
            return ReadRoleAttribution(f, negotiation, occurred, saidByRole, saidBy, party, role) is { } byRole
                ? byRole with { Via = via, AssertedBy = assertedBy }
                : null;
        }

        if (saidBy is null)
        {
            return party is null && role is null && via is null && assertedBy is null
                ? null
                : new Attribution(party, null, null, role) { Via = via, AssertedBy = assertedBy };
        }

        var actor = negotiation.FindActor(saidBy);
        if (actor is null)
        {
            f.Error("said-by", $"unknown actor '{Fields.Shorten(saidBy)}' (register the name or alias in the negotiation)", f.NodeOf("said-by"));
            return null;
        }

        return new Attribution(party ?? actor.PartyId, actor.Id, saidBy, role)
        {
            Via = via,
            AssertedBy = assertedBy,
            // The source's words against the registered roles: shown side by side, never refused.
            RoleConflict = role is null || occurred is null ? null : negotiation.RoleConflict(actor.Id, role, occurred),
        };
    }

    /// <summary>
    /// <c>said-by-role</c>: the source names only a role ("the head of Ukraine's delegation"); the ledger resolves it to
    /// whoever the registered roles have holding it for <c>said-by-party</c> on the day the report says it happened.
    /// </summary>
    private static Attribution? ReadRoleAttribution(Fields f, Negotiation negotiation, FuzzyDate? occurred, string saidByRole, string? saidBy, string? party, string? role)
    {
        var before = f.Errors.Count;
        CheckId(f, "said-by-role", saidByRole);
        if (saidBy is not null)
        {
            f.Error("said-by-role", "names a role where said-by already names the person: give one of them (the source's words for the person's role go in role-as-given)", f.NodeOf("said-by-role"));
        }

        if (party is null)
        {
            f.Error("said-by-role", "needs said-by-party: a role is held for a party", f.NodeOf("said-by-role"));
        }

        if (IsId(saidByRole) && !negotiation.HasRole(saidByRole))
        {
            f.Error("said-by-role", $"unknown role '{saidByRole}' (register it under an actor's roles in the negotiation)", f.NodeOf("said-by-role"));
        }

        if (f.Errors.Count > before || party is null || occurred is null)
        {
            return null;
        }

        var resolution = negotiation.ResolveRole(saidByRole, party, occurred);
        return new Attribution(party, null, null, role)
        {
            Role = saidByRole,
            ResolvedActor = resolution.ActorId,
            ResolvedFrom = resolution.ResolvedFrom,
            Unresolved = resolution.Unresolved,
        };
    }

    /// <summary><c>inferred: {field: reasoning}</c>: which fields are the coder's reading, and why.</summary>
    private static Dictionary<string, string> ReadInferred(Fields f)
    {
        var inferred = new Dictionary<string, string>(StringComparer.Ordinal);
        if (f.Mapping("inferred") is not { } map)
        {
            return inferred;
        }

        foreach (var entry in map.Map.Entries)
        {
            if (!AnyKindField.Contains(entry.Key) || entry.Key is "inferred" or "source" or "quote" or "prefix" or "suffix")
            {
                map.Error(entry.Key, "names no field a report can infer", entry.Value);
            }
            else if (map.Optional(entry.Key) is { } reasoning)
            {
                inferred[entry.Key] = reasoning;
            }
            else
            {
                map.Error(entry.Key, "needs the reasoning: why the coder reads it so", entry.Value);
            }
        }

        return inferred;
    }
}
