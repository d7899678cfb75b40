using System.Diagnostics;
using Marten;
using Marten.Services;
using Npgsql;

namespace Ledger.Import;

/// <summary>The steps of an import whose time <see cref="ImportProfile"/> adds up.</summary>
public enum ImportPhase
{
    /// <summary>Reading, parsing and hashing source texts and their metadata.</summary>
    SourceFiles,

    /// <summary>Reading which sources are already registered.</summary>
    SourceLookup,

    /// <summary>Negotiation files, read, compared and committed one by one.</summary>
    Negotiations,

    /// <summary>Reading development files from disk.</summary>
    FileRead,

    /// <summary>Parsing them as YAML.</summary>
    YamlParse,

    /// <summary>Reading the negotiations and cited sources a batch refers to.</summary>
    ReferenceLookup,

    /// <summary>Validating the fields and verifying quotes against the source texts.</summary>
    Validate,

    /// <summary>Reading which claim ids (and ids corrections refer to) are already recorded.</summary>
    RecordedLookup,

    /// <summary>Queuing the events in the session.</summary>
    BuildEvents,

    /// <summary>SaveChanges outside its SQL batches: inline projections, serialization, building the batches, the transaction's begin and commit.</summary>
    CommitClient,

    /// <summary>SaveChanges in the database: the batch sent, executed and read back.</summary>
    CommitDatabase,

    /// <summary>The committing side waiting for the next batch to be read and checked.</summary>
    AwaitPrepared,
}

/// <summary>
/// Where an import's time goes: wall-clock time per <see cref="ImportPhase"/>, summed over the whole import.
/// Diagnostic only; an importer without one measures nothing. Safe to share between concurrent steps.
/// </summary>
public sealed class ImportProfile
{
    private readonly long[] _ticks = new long[Enum.GetValues<ImportPhase>().Length];
    private readonly int[] _counts = new int[Enum.GetValues<ImportPhase>().Length];

    public TimeSpan this[ImportPhase phase] => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks[(int)phase]));

    /// <summary>How many times the phase ran (for <see cref="ImportPhase.CommitDatabase"/>: SQL batches sent).</summary>
    public int Count(ImportPhase phase) => Volatile.Read(ref _counts[(int)phase]);

    public IReadOnlyDictionary<ImportPhase, TimeSpan> Phases => Enum.GetValues<ImportPhase>().ToDictionary(p => p, p => this[p]);

    public void Add(ImportPhase phase, long startTimestamp) => Add(phase, startTimestamp, Stopwatch.GetTimestamp());

    private void Add(ImportPhase phase, long from, long to)
    {
        Interlocked.Add(ref _ticks[(int)phase], to - from);
        Interlocked.Increment(ref _counts[(int)phase]);
    }

    /// <summary>Times <paramref name="action"/> as <paramref name="phase"/>.</summary>
    public static T Time<T>(ImportProfile? profile, ImportPhase phase, Func<T> action)
    {
        if (profile is null)
        {
            return action();
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            return action();
        }
        finally
        {
            profile.Add(phase, start);
        }
    }

    /// <inheritdoc cref="Time{T}(ImportProfile?, ImportPhase, Func{T})"/>
    public static async Task<T> TimeAsync<T>(ImportProfile? profile, ImportPhase phase, Func<Task<T>> action)
    {
        if (profile is null)
        {
            return await action();
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            return await action();
        }
        finally
        {
            profile.Add(phase, start);
        }
    }

    /// <summary>
    /// SaveChanges, split into the time its SQL batches spend in the database (sent, executed, results read)
    /// and the rest, spent on the client.
    /// </summary>
    public static async Task SaveChangesAsync(ImportProfile? profile, IDocumentSession session, CancellationToken ct)
    {
        if (profile is null)
        {
            await session.SaveChangesAsync(ct);
            return;
        }

        var logger = new CommitLogger(session.Logger, profile);
        session.Logger = logger;
        var start = Stopwatch.GetTimestamp();
        try
        {
            await session.SaveChangesAsync(ct);
        }
        finally
        {
            var total = Stopwatch.GetTimestamp() - start;
            Interlocked.Add(ref profile._ticks[(int)ImportPhase.CommitClient], total - logger.DatabaseTicks);
            Interlocked.Increment(ref profile._counts[(int)ImportPhase.CommitClient]);
            session.Logger = logger.Inner;
        }
    }

    /// <summary>Times each SQL batch of one SaveChanges from just before it is sent until its results are read.</summary>
    private sealed class CommitLogger(IMartenSessionLogger inner, ImportProfile profile) : IMartenSessionLogger
    {
        private long _started;

        public IMartenSessionLogger Inner => inner;

        public long DatabaseTicks { get; private set; }

        public void OnBeforeExecute(NpgsqlCommand command)
        {
            _started = Stopwatch.GetTimestamp();
            inner.OnBeforeExecute(command);
        }

        public void OnBeforeExecute(NpgsqlBatch batch)
        {
            _started = Stopwatch.GetTimestamp();
            inner.OnBeforeExecute(batch);
        }

        public void LogSuccess(NpgsqlCommand command)
        {
            Done();
            inner.LogSuccess(command);
        }

        public void LogSuccess(NpgsqlBatch batch)
        {
            Done();
            inner.LogSuccess(batch);
        }

        public void LogFailure(NpgsqlCommand command, Exception ex)
        {
            Done();
            inner.LogFailure(command, ex);
        }

        public void LogFailure(NpgsqlBatch batch, Exception ex)
        {
            Done();
            inner.LogFailure(batch, ex);
        }

        public void LogFailure(Exception ex, string message) => inner.LogFailure(ex, message);

        public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) => inner.RecordSavedChanges(session, commit);

        private void Done()
        {
            if (_started == 0)
            {
                return;
            }

            var now = Stopwatch.GetTimestamp();
            DatabaseTicks += now - _started;
            profile.Add(ImportPhase.CommitDatabase, _started, now);
            _started = 0;
        }
    }
}
