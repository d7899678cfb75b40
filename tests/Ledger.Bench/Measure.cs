using System.Diagnostics;

namespace Ledger.Bench;

/// <summary>Latencies of one side of a workload, in milliseconds.</summary>
public sealed class Samples
{
    private readonly List<double> _ms = [];

    public int Count => _ms.Count;

    public IReadOnlyList<double> Values => _ms;

    public void Add(double ms) => _ms.Add(ms);

    public async Task<T> TimeAsync<T>(Func<Task<T>> action)
    {
        var watch = Stopwatch.StartNew();
        var result = await action();
        _ms.Add(watch.Elapsed.TotalMilliseconds);
        return result;
    }

    public double Median => Percentile(0.5);

    public double P99 => Percentile(0.99);

    public double Sum => _ms.Sum();

    public double Percentile(double p)
    {
        if (_ms.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _ms.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}

/// <summary>One line of the result table, with its figures for the JSON output.</summary>
public sealed record BenchRow(
    string Id,
    string Workload,
    string Ledger,
    string Baseline,
    string Ratio,
    string Target,
    bool? Met,
    IReadOnlyDictionary<string, double> Figures,
    string? Note = null);

/// <summary>The peak of the managed heap and of the working set while an action runs, sampled every 10 ms.</summary>
public sealed class PeakMemory : IDisposable
{
    private readonly Timer _timer;
    private long _heap;
    private long _workingSet;

    public PeakMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        BaselineHeap = GC.GetTotalMemory(false);
        _timer = new Timer(_ => Sample(), null, 0, 10);
    }

    public long BaselineHeap { get; }

    public long PeakHeap => Interlocked.Read(ref _heap);

    public long PeakWorkingSet => Interlocked.Read(ref _workingSet);

    private void Sample()
    {
        var heap = GC.GetTotalMemory(false);
        using var process = Process.GetCurrentProcess();
        var ws = process.WorkingSet64;
        InterlockedMax(ref _heap, heap);
        InterlockedMax(ref _workingSet, ws);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        Sample();
    }
}
