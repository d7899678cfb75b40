using System.Diagnostics;

namespace Ledger.Tests.Infrastructure;

public sealed class ChildProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_process_that_outlives_its_time_is_killed_with_its_children_and_named_in_the_timeout()
    {
        var marker = Path.Combine(Path.GetTempPath(), "ledger-child-" + Guid.NewGuid().ToString("N"));
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<TimeoutException>(() => ChildProcess.RunAsync(
            "sh", ["-c", $"echo waiting >&2; (sleep 3; touch {marker}) & sleep 60"], null, null, TimeSpan.FromSeconds(1), ct: Ct));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Contains("sh -c", e.Message, StringComparison.Ordinal);
        Assert.Contains("within 1 s", e.Message, StringComparison.Ordinal);
        Assert.Contains("waiting", e.Message, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(4), Ct);
        Assert.False(File.Exists(marker), "the background child outlived the kill");
    }

    [Fact]
    public async Task Stdin_is_given_stdout_and_stderr_are_kept_apart_and_a_null_variable_is_removed()
    {
        var run = await ChildProcess.RunAsync(
            "sh",
            ["-c", "cat; echo \"${HOME-unset} $LEDGER_PROBE\" >&2; exit 3"],
            null,
            new Dictionary<string, string?> { ["HOME"] = null, ["LEDGER_PROBE"] = "set" },
            TimeSpan.FromSeconds(30),
            stdin: "from the test",
            ct: Ct);

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("from the test", run.Stdout);
        Assert.Equal("unset set\n", run.Stderr);
    }

    [Fact]
    public async Task Without_stdin_the_process_reads_end_of_input_at_once()
    {
        var run = await ChildProcess.RunAsync("cat", [], null, null, TimeSpan.FromSeconds(10), ct: Ct);

        Assert.Equal((0, ""), (run.ExitCode, run.Stdout));
    }
}
