using System.Globalization;
using System.Text;
using Ledger.Audit;
using Ledger.Domain.Recording;
using Ledger.Recording;
using Ledger.Domain.Developments;
using Ledger.Domain.Provenance;
using Ledger.Domain.Sources;
using Ledger.Import;
using Ledger.Infrastructure;
using Ledger.Infrastructure.Http;
using Ledger.Negotiations;
using Ledger.Sources;
using JasperFx;
using Marten;
using Marten.Exceptions;
using Microsoft.AspNetCore.Http.Features;
using Wolverine.Http;

using Microsoft.AspNetCore.Mvc;
namespace Ledger.Recording;

public enum ClaimOutcome
{
    Appended,
    AlreadyRecorded,
    Revised,
}

/// <summary>
/// What happened to one report of a request: appended now, revised now (with what changed), or already in the ledger
/// (then <see cref="RecordedBy"/> is the writer who recorded it, not necessarily this request's).
/// </summary>
public sealed record AppendedClaim(Guid ClaimId, string DevelopmentKey, string TrackId, string Kind, string SourceId, ClaimOutcome Outcome, Guid? EventId, long? Sequence, long? StreamVersion)
{
    public string? RecordedBy { get; init; }

    public IReadOnlyList<FieldChange>? Changes { get; init; }
}

/// <summary>A track stream's version after the request: pass it back as the expected version of the next append.</summary>
public sealed record StreamVersion(string TrackId, long Version);

public sealed record AppendResult(int Appended, int AlreadyRecorded, string RecordedBy, IReadOnlyList<AppendedClaim> Claims, IReadOnlyList<StreamVersion> Streams);

public enum SourceOutcome
{
    Registered,
    AlreadyRegistered,
}

public sealed record SourceRegistrationResult(string Id, SourceOutcome Outcome, string ContentHash, int Length);

/// <summary>
/// The write side. Bodies have the shape of the files in <c>seeds/</c> and <c>events/</c> (JSON or YAML; JSON is
/// YAML) and go through the same decider as an import, so they are validated exactly alike, with the same field
/// paths in the errors. Each request is one transaction: everything or nothing.
/// </summary>
[Tags("Recording")]
public static class RecordingEndpoints
{
    public const string ExpectedVersionHeader = "X-Expected-Version";
    public const string ExpectedVersionsField = "expected-versions";
    private const string Body = "body";

    private static readonly HashSet<string> SourceFields =
        ["id", "text", "outlet", "title", "url", "published", "published-as-printed", "published-note", "language", "translation-note"];

    /// <summary>Registers a source: its exact text and metadata. The same text again is a no-op; other text under the same id is a conflict.</summary>
    [WolverinePost("/api/sources", OperationId = "registerSource", Summary = "Register a source")]
    [ProducesResponseType<SourceRegistrationResult>(201, "application/json")]
    [ProducesResponseType<SourceRegistrationResult>(200, "application/json")]
    public static async Task<IResult> RegisterSource(HttpContext context, IDocumentStore store, CancellationToken ct)
    {
        var (text, tooBig) = await RequestBody.ReadAsync(context, ct);
        if (tooBig is not null)
        {
            return tooBig;
        }

        var errors = new List<InputError>();
        var fields = Ledger.Import.YamlDocument.Load(Body, text, errors);
        if (fields is null)
        {
            return Problems.Validation(errors);
        }

        fields.RejectUnknown(SourceFields);
        var id = fields.Required("id");
        if (id.Length > 0 && !id.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
        {
            fields.Error("id", $"'{id}' must use only a-z, 0-9 and '-'", fields.NodeOf("id"));
        }

        var sourceText = fields.NodeOf("text") is InputScalar { Value: { Length: > 0 } t } ? t : null;
        if (sourceText is null)
        {
            fields.Error("text", "is required: the exact text of the source");
        }
        else if (TextRules.Problem(sourceText) is { } problem)
        {
            fields.Error("text", problem, fields.NodeOf("text"));
            sourceText = null;
        }

        var registered = SourceFile.Registration(fields, id, sourceText ?? "", ContentHash.Of(sourceText ?? ""));
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        // Every database the ledger is partitioned over holds every source; the first refusal is the answer.
        IResult? answer = null;
        foreach (var tenant in Partitioning.Of(store).OneTenantPerDatabase)
        {
            var result = await RegisterSourceInAsync(context, store, tenant, id, registered, ct);
            var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
            if (status >= 300)
            {
                return result;
            }

            if (answer is null || status == StatusCodes.Status201Created)
            {
                answer = result;
            }
        }

        return answer!;
    }

    private static async Task<IResult> RegisterSourceInAsync(HttpContext context, IDocumentStore store, string tenant, string id, SourceRegistered registered, CancellationToken ct)
    {
        await using var session = store.LightweightSession(tenant);
        var existing = await session.LoadAsync<Source>(StreamKeys.Source(id), ct);
        if (existing is not null)
        {
            return existing.ContentHash == registered.ContentHash
                ? JsonResults.Ok(new SourceRegistrationResult(id, SourceOutcome.AlreadyRegistered, existing.ContentHash, existing.Text.Length))
                : Problems.Conflict(
                    $"Source '{id}' is registered with different text ({existing.ContentHash}, now {registered.ContentHash}); a source's text never changes: register the new text under a new id.",
                    [new FieldError("text", "differs from the registered text")]);
        }

        session.LastModifiedBy = Writer(context);
        session.SetHeader("via", "http");
        session.Events.StartStream(StreamKeys.Source(id), registered);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is ExistingStreamIdCollisionException
            || e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Another writer registered the same id at the same moment: the same text is fine, other text is not.
            await using var again = store.QuerySession(tenant);
            var winner = await again.LoadAsync<Source>(StreamKeys.Source(id), ct);
            return winner?.ContentHash == registered.ContentHash
                ? JsonResults.Ok(new SourceRegistrationResult(id, SourceOutcome.AlreadyRegistered, winner.ContentHash, winner.Text.Length))
                : Problems.Conflict($"Source '{id}' was registered by another writer at the same moment with different text.", [new FieldError("text", "differs from the registered text")]);
        }

        return JsonResults.Ok(new SourceRegistrationResult(id, SourceOutcome.Registered, registered.ContentHash, registered.Text.Length), StatusCodes.Status201Created);
    }

    /// <summary>
    /// Appends developments (the shape of an event file). Quotes are verified against the registered sources,
    /// reports already recorded are recognised by their claim id and skipped, and an optional expected version
    /// per track (body <c>expected-versions: {track: n}</c> or header <c>X-Expected-Version: track=n</c>) makes a
    /// stale request fail with 409 before anything is written.
    /// </summary>
    [WolverinePost("/api/developments", OperationId = "appendDevelopments", Summary = "Append developments")]
    [ProducesResponseType<AppendResult>(201, "application/json")]
    [ProducesResponseType<AppendResult>(200, "application/json")]
    public static async Task<IResult> AppendDevelopments(HttpContext context, IDocumentStore store, RegistryCache registry, CancellationToken ct)
    {
        var (text, tooBig) = await RequestBody.ReadAsync(context, ct);
        if (tooBig is not null)
        {
            return tooBig;
        }

        // Another writer may commit to the same track, or record one of the same claims, between our read and our
        // commit: the store refuses ours, and a second look (with the other writer's events in view) settles it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AppendOnceAsync(context, store, registry, text, ct);
            }
            catch (RegistryChangedException) when (attempt < MaxAttempts)
            {
                // The negotiation's registry changed after it was read: decide again against the current one.
            }
            catch (Exception e) when (e is DocumentAlreadyExistsException or ConcurrentAppendException && attempt < MaxAttempts)
            {
                await Task.Delay(Random.Shared.Next(5, 25 * attempt), ct);
            }
            catch (Exception e) when (e is DocumentAlreadyExistsException or ConcurrentAppendException or RegistryChangedException)
            {
                return Problems.Of(StatusCodes.Status503ServiceUnavailable, "Busy", $"Other writers kept appending to the same tracks; nothing was recorded. Try again. ({e.GetType().Name})");
            }
        }
    }

    private const int MaxAttempts = 8;

    private sealed record LocksTaken(long Count);

    /// <summary>A concurrent append to the same track by another writer, when the request named no expected version.</summary>
    private sealed class ConcurrentAppendException(Exception inner) : Exception("another writer appended to the same track", inner);

    private static async Task<IResult> AppendOnceAsync(HttpContext context, IDocumentStore store, RegistryCache cache, string body, CancellationToken ct)
    {
        var timing = new ServerTiming("ledger.append");
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[ServerTiming.Header] = timing.ToString();
            return Task.CompletedTask;
        });
        var errors = new List<InputError>();
        var root = ParseBody(context, body, errors);
        timing.Mark("parse");
        if (root is null)
        {
            return Problems.Validation(errors);
        }

        var expected = ReadExpectedVersions(root, Body, context.Request.Headers[ExpectedVersionHeader].ToString(), errors);
        root = root.Without(ExpectedVersionsField);
        var file = new ProposedFile(Body, root);
        await using var session = store.LightweightSessionFor(root.Find("negotiation") is InputScalar { Value: { } negotiationNamed } ? negotiationNamed : null);

        // The negotiation and the cited sources: from the server's memory, or what is not there in one round trip.
        var registry = await cache.LoadAsync(session, file, fresh: false, ct);
        timing.Mark("read");
        FileReading reading;
        List<InputError> refused;
        while (true)
        {
            reading = Recorder.Read(file, registry.Negotiation, registry.Source);
            refused = [.. reading.Errors];
            if (refused.Count == 0 && errors.Count == 0 && reading.NegotiationId is { } id && registry.Negotiation(id) is { } known)
            {
                refused.AddRange(expected.Keys.Where(t => t.Length > 0 && !known.HasTrack(t))
                    .Select(t => new InputError(Body, 1, $"{ExpectedVersionsField}.{t}", $"unknown track '{t}'")));
            }

            // A refusal is never decided against a registry that may be out of date: a party, actor or track
            // registered meanwhile (by this server or another) must not be reported unknown.
            if (refused.Count == 0 || !registry.NegotiationsFromCache)
            {
                break;
            }

            registry = await cache.LoadAsync(session, file, fresh: true, ct);
        }

        timing.Mark("validate");
        errors.AddRange(refused);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var (negotiation, registryVersion) = registry.Negotiations[reading.NegotiationId!];

        // A single number in the header applies to the one track the request writes to.
        var tracks = reading.Claims.Select(c => c.Claim.TrackId).Distinct().ToList();
        if (expected.TryGetValue("", out var only))
        {
            expected.Remove("");
            if (tracks.Count != 1)
            {
                return Problems.Field(ExpectedVersionHeader, "a bare version applies only to a request on one track; use 'track=version, ...'");
            }

            expected[tracks[0]] = only;
        }

        timing.Mark("references");

        // Writers to the same track take turns from here to their commit (a transaction-scoped advisory lock per
        // track stream, in one order): what the decider is given then includes every earlier writer's commit, so
        // concurrent identical requests record a claim once. The locks and every read the decision needs go in
        // one round trip: recorded claims, development keys, the track streams' versions, and the negotiation's
        // version, which says whether the registry it was read against is still current.
        await session.BeginTransactionAsync(ct);
        var trackKeys = tracks.Union(expected.Keys).ToDictionary(t => t, t => StreamKeys.Track(negotiation.Id, t), StringComparer.Ordinal);
        var lockKeys = trackKeys.Values.Order(StringComparer.Ordinal).ToArray();
        var negotiationKey = StreamKeys.Negotiation(negotiation.Id);
        var locked = session.CreateBatchQuery();
        var taken = locked.Query<LocksTaken>(
            "select jsonb_build_object('count', count(*)) from (select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(?::text[]) with ordinality as u(k, n) order by n) as locks",
            [lockKeys]);
        var (claims, developments) = LedgerWriter.Queue(locked, [reading]);
        var streamVersions = RegistryCache.QueueVersions(locked, session, [negotiationKey, .. lockKeys]);
        await locked.Execute(ct);
        await taken;
        var current = (await streamVersions).ToDictionary(v => v.Id, v => v.Version, StringComparer.Ordinal);
        if (current.GetValueOrDefault(negotiationKey) != registryVersion)
        {
            cache.Forget(negotiation.Id, registryVersion);
            throw new RegistryChangedException(negotiation.Id);
        }

        // A correction is checked against the outlet of the report it names, which the request may not cite itself.
        var sources = new Dictionary<string, SourceText>(registry.Sources, StringComparer.Ordinal);
        var named = (await claims).Select(c => c.Development.Claim.Provenance.SourceId).Where(s => !sources.ContainsKey(s)).ToList();
        if (named.Count > 0)
        {
            foreach (var (id, text) in await cache.SourcesAsync(session, named, ct))
            {
                sources[id] = text;
            }
        }

        var state = await LedgerWriter.StateAsync(session, registry.Negotiations.ToDictionary(n => n.Key, n => n.Value.Negotiation), sources, claims, developments, ct);
        timing.Mark("lock");

        var writer = Writer(context);
        var strict = context.Request.Query.TryGetValue("strict", out var strictValue) && strictValue.ToString() is "" or "true" or "1";
        var reason = context.Request.Headers["X-Revision-Reason"].ToString() is { Length: > 0 } given ? given : null;
        var decision = Recorder.Decide([reading], state, OptionsFor(context.User, DateTimeOffset.UtcNow) with { Strict = strict, Reason = reason })[0];
        if (decision is { Rejected: true, NeedsEditor: true })
        {
            var first = decision.Errors[0];
            return Problems.Of(
                StatusCodes.Status403Forbidden,
                "Forbidden",
                $"{first.Field}: {first.Message}",
                [.. decision.Errors.Select(e => new FieldError(e.Field, e.Message, e.Line))]);
        }

        if (decision.Rejected)
        {
            return Problems.Validation(decision.Errors);
        }

        long VersionOf(string track) => current.GetValueOrDefault(trackKeys[track]);

        var stale = expected
            .Where(e => VersionOf(e.Key) != e.Value)
            .Select(e => new FieldError($"{ExpectedVersionsField}.{e.Key}", $"expected version {e.Value}, but the track is at version {VersionOf(e.Key)}"))
            .ToList();

        // A retry after a lost acknowledgement carries the version it was first sent with: when everything it
        // says is recorded exactly so, it is answered as already recorded, not as a conflict.
        if (stale.Count > 0 && decision.Events.Count > 0)
        {
            return Problems.Conflict("The expected stream version is stale: another writer has appended since. Nothing was recorded; read the track again.", stale);
        }

        session.LastModifiedBy = writer;
        session.SetHeader("via", "http");
        var expectedVersions = stale.Count > 0 ? null : expected.ToDictionary(e => trackKeys[e.Key], e => e.Value);
        var outcome = LedgerWriter.Append(session, [decision], expectedVersions);
        timing.Mark("queue");
        try
        {
            if (outcome.Events.Count > 0)
            {
                await session.SaveChangesAsync(ct);
            }

            timing.Mark("commit");
        }
        catch (DocumentAlreadyExistsException)
        {
            throw;
        }
        catch (Exception e) when (e is JasperFx.Events.EventStreamUnexpectedMaxEventIdException or ExistingStreamIdCollisionException
            || e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Another writer committed to the same track stream first (or created it first).
            if (expected.Count == 0)
            {
                throw new ConcurrentAppendException(e);
            }

            return Problems.Conflict("The expected stream version is stale: another writer appended at the same moment. Nothing was recorded; read the track again.");
        }

        // The envelopes Marten committed carry the event id, sequence and stream version, and a track this request
        // appended nothing to is where the locked read found it: nothing is read back.
        var events = outcome.Events;
        var versions = events.Values.GroupBy(e => e.StreamKey!).ToDictionary(g => g.Key, g => g.Max(e => e.Version));
        var streams = tracks
            .Select(track => new StreamVersion(track, versions.TryGetValue(trackKeys[track], out var version) ? version : VersionOf(track)))
            .ToList();

        var revised = decision.Revised.ToDictionary(r => r.ClaimId);
        var already = decision.AlreadyRecorded.ToDictionary(r => r.Development.Claim.ClaimId);
        var result = new AppendResult(
            decision.Appended.Count(),
            already.Count,
            writer,
            [.. reading.Claims.DistinctBy(c => c.Claim.ClaimId).Select(c =>
            {
                var id = c.Claim.ClaimId;
                if (events.TryGetValue(id, out var e))
                {
                    var isRevision = revised.TryGetValue(id, out var revision);
                    return new AppendedClaim(id, c.Claim.DevelopmentKey, c.Claim.TrackId, c.Kind, c.Claim.Provenance.SourceId, isRevision ? ClaimOutcome.Revised : ClaimOutcome.Appended, e.Id, e.Sequence, e.Version)
                    {
                        RecordedBy = writer,
                        Changes = revision?.Changes,
                    };
                }

                return new AppendedClaim(id, c.Claim.DevelopmentKey, c.Claim.TrackId, c.Kind, c.Claim.Provenance.SourceId, ClaimOutcome.AlreadyRecorded, null, null, null)
                {
                    RecordedBy = already.TryGetValue(id, out var recorded) ? recorded.RecordedBy : null,
                };
            })],
            streams);
        timing.Mark("respond");
        return JsonResults.Ok(result, outcome.Events.Count > 0 ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>A JSON body through the JSON reader (bounded depth); anything else that is allowed in as YAML.</summary>
    private static InputMap? ParseBody(HttpContext context, string body, List<InputError> errors) =>
        context.Request.ContentType is { } type && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || type.Contains("+json", StringComparison.OrdinalIgnoreCase))
            ? JsonInput.Parse(Body, body, errors)
            : Ledger.Import.YamlDocument.Parse(Body, body, errors);

    /// <summary>Reads <c>expected-versions</c> from the body, and adds the header's; "" stands for a bare number.</summary>
    private static Dictionary<string, long> ReadExpectedVersions(InputMap root, string file, string header, List<InputError> errors)
    {
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        switch (root.Find(ExpectedVersionsField))
        {
            case null:
                break;
            case InputMap mapping:
                foreach (var entry in mapping.Entries)
                {
                    if (entry.Value is InputScalar { Value: { } v } && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                    {
                        expected[entry.Key] = version;
                    }
                    else
                    {
                        errors.Add(new InputError(file, entry.Value.Line, $"{ExpectedVersionsField}.{entry.Key}", "expected a stream version (a whole number, 0 for a new track)"));
                    }
                }

                break;
            case var other:
                errors.Add(new InputError(file, other.Line, ExpectedVersionsField, "expected a mapping of track id to stream version"));
                break;
        }

        ReadExpectedVersionHeader(header, expected, errors);
        return expected;
    }

    /// <summary>
    /// Adds the header's versions: one bare version (<c>N</c>) or <c>track=N</c> entries separated by commas. Anything
    /// else (an empty entry, an entry with no track, a track named twice, a bare version among named ones) is
    /// refused rather than skipped: a skipped expectation would let a stale write through unnoticed. An empty
    /// header cannot be told apart from none here, and expects nothing.
    /// </summary>
    private static void ReadExpectedVersionHeader(string header, Dictionary<string, long> expected, List<InputError> errors)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return;
        }

        void Refuse(string message) => errors.Add(new InputError(ExpectedVersionHeader, 1, ExpectedVersionHeader, message));

        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            var at = part.IndexOf('=', StringComparison.Ordinal);
            var track = at < 0 ? "" : part[..at].Trim();
            var versionText = at < 0 ? part : part[(at + 1)..].Trim();
            if (part.Length == 0)
            {
                Refuse($"'{header}' has an empty entry; expected 'version' or 'track=version, track=version'");
            }
            else if (at >= 0 && track.Length == 0)
            {
                Refuse($"'{part}' names no track; expected 'track=version'");
            }
            else if (!long.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                Refuse($"'{part}' is not 'track=version' or a version");
            }
            else if (!named.Add(track))
            {
                Refuse(track.Length == 0 ? $"'{header}' holds more than one bare version" : $"'{header}' names track '{track}' twice");
            }
            else
            {
                expected[track] = version;
            }
        }

        if (named.Contains("") && named.Count > 1)
        {
            Refuse($"'{header}' mixes a bare version with 'track=version' entries; name every track");
        }
    }

    /// <summary>The writer, from the credential the request was authenticated with: never from the body.</summary>
    private static string Writer(HttpContext context) => context.User.Identity?.Name ?? "anonymous";

    /// <summary>Who writes, with the role of the key: an editor's or admin's key may amend other writers' coding.</summary>
    public static RecordingOptions OptionsFor(System.Security.Claims.ClaimsPrincipal user, DateTimeOffset now) =>
        new(user.Identity?.Name ?? "anonymous", now)
        {
            Role = user.IsInRole(ApiRoles.Editor) ? RecordingRole.Editor : RecordingRole.Writer,
        };
}
