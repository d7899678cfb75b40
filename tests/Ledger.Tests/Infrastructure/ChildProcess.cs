using System.Diagnostics;

namespace Ledger.Tests.Infrastructure;

/// <summary>What a child process printed and how it exited.</summary>
public sealed record ChildRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Both streams, stdout first: what a failed assertion should show.</summary>
    public string Output => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs a program to its end the way the tests need it: arguments passed as a list (no shell quoting), stdout and
/// stderr captured apart, stdin given or closed at once (so nothing waits for a keyboard), and the whole process tree
/// killed when it outlives its time, with a <see cref="TimeoutException"/> saying what hung.
/// </summary>
public static class ChildProcess
{
    /// <param name="environment">Variables to set on top of the test run's own; a null value removes the variable.</param>
    /// <param name="workingDirectory">Where it runs; null keeps the test run's current folder.</param>
    public static async Task<ChildRun> RunAsync(
        string program,
        IReadOnlyList<string> arguments,
        string? workingDirectory,
        IReadOnlyDictionary<string, string?>? environment,
        TimeSpan timeout,
        string? stdin = null,
        CancellationToken ct = default)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        // The streams are read to their end even when the test is cancelled: killing the process ends them.
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), ct);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited without reading all of its input; its exit code and stderr say why.
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            var said = await Task.WhenAny(stderr, Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None)) == stderr ? await stderr : "(not readable)";
            throw new TimeoutException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0} s and was killed; its stderr:\n{said}");
        }

        return new ChildRun(process.ExitCode, await stdout, await stderr);
    }
}
