using System.CommandLine;
using System.Globalization;

namespace Ledger.Cli;

public enum OutputFormat
{
    Table,
    Json,
}

/// <summary>Options shared by the read commands.</summary>
public static class CommonOptions
{
    public static Option<OutputFormat> Format() => new("--format")
    {
        Description = "table for people, json for machines",
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    public static Option<string?> Negotiation() => new("--negotiation", "-n")
    {
        Description = "negotiation id (default: the only one registered)",
    };

    public static Option<string?> Track() => new("--track", "-t")
    {
        Description = "track id (default: every track)",
    };

    public static Option<DateOnly?> Date(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            result.AddError($"{name}: '{text}' is not a date (yyyy-MM-dd)");
            return null;
        },
    };
}
