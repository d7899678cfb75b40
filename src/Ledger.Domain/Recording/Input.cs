namespace Ledger.Domain.Recording;

/// <summary>
/// A proposed write as any front end hands it over: a tree of values with the line each came from. YAML files and
/// JSON bodies are both read into this shape, so the rules that decide a write are written once, and every error
/// names the field path (and the line, where the front end has lines).
/// </summary>
public abstract record Input(int Line);

/// <summary>A single value; <see cref="Value"/> is null for an explicit null.</summary>
public sealed record InputScalar(string? Value, int Line) : Input(Line);

public sealed record InputList(IReadOnlyList<Input> Items, int Line) : Input(Line);

public sealed record InputEntry(string Key, Input Value, int KeyLine);

public sealed record InputMap(IReadOnlyList<InputEntry> Entries, int Line) : Input(Line)
{
    public Input? Find(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key == key)
            {
                return entry.Value;
            }
        }

        return null;
    }

    public InputMap Without(string key) => this with { Entries = [.. Entries.Where(e => e.Key != key)] };
}

/// <summary>A problem in a proposed write, located to its file (or body), line and field path.</summary>
public sealed record InputError(string File, int Line, string Field, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Field}: {Message}";
}
