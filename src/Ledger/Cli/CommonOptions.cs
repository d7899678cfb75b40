using Ledger.Infrastructure;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Ledger.Cli;

public enum OutputFormat
{
    Table,
    Json,
}

/// <summary>
/// Options shared by the commands. Each parses its own text, so that a value it cannot read is answered with the
/// option's name, the value and what was expected, never with the .NET type the value was meant to become.
/// </summary>
public static class CommonOptions
{
    public static Option<OutputFormat> Format() => new("--format")
    {
        Description = "table for people, json for machines",
        HelpName = "table|json",
        DefaultValueFactory = _ => OutputFormat.Table,
        CustomParser = result => OneOf(result, "--format", Enum.GetValues<OutputFormat>(), OutputFormat.Table),
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
        HelpName = "YYYY-MM-DD",
        CustomParser = result => ParseDate(result, name, result.Tokens.Single().Value),
    };

    /// <summary>A date that may be repeated: <c>--as-of D --as-of D2</c>, or several after one <c>--as-of</c>.</summary>
    public static Option<DateOnly[]> Dates(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "YYYY-MM-DD",
        AllowMultipleArgumentsPerToken = true,
        CustomParser = result => [.. result.Tokens.Select(t => ParseDate(result, name, t.Value)).OfType<DateOnly>()],
    };

    /// <summary>A moment in ISO 8601, with or without a time and offset.</summary>
    public static Option<DateTimeOffset?> Moment(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "ISO-8601",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment))
            {
                return moment;
            }

            result.AddError($"{name}: '{text}' is not a moment (ISO 8601, e.g. 2025-07-24T12:00:00Z)");
            return null;
        },
    };

    /// <summary>A claim, event or webhook id.</summary>
    public static Option<Guid?> Id(string name, string? alias, string description, string what) => new(name, alias is null ? [] : [alias])
    {
        Description = description,
        HelpName = "ID",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (Guid.TryParse(text, out var id))
            {
                return id;
            }

            result.AddError($"{name}: '{text}' is not {what} (a GUID such as 3f2a8c1e-5b7d-4e9a-8c61-2d0f9b4a7e35)");
            return null;
        },
    };

    public static Option<long> WholeNumber(string name, string description, long defaultValue) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }

            result.AddError($"{name}: '{text}' is not a whole number");
            return defaultValue;
        },
    };

    /// <summary>A folder that must exist when given: a folder that is not there is refused rather than read as empty.</summary>
    public static Option<DirectoryInfo?> ExistingFolder(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "DIR",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            var folder = new DirectoryInfo(text);
            if (folder.Exists)
            {
                return folder;
            }

            result.AddError(File.Exists(text)
                ? $"{name}: '{text}' is a file, not a folder"
                : $"{name}: folder '{text}' does not exist{(folder.FullName == text ? "" : $" ({folder.FullName})")}");
            return null;
        },
    };

    private static DateOnly? ParseDate(ArgumentResult result, string name, string text)
    {
        if (IsoDates.TryParse(text, out var date))
        {
            return date;
        }

        result.AddError($"{name}: {IsoDates.NotADate(text)}");
        return null;
    }

    private static T OneOf<T>(ArgumentResult result, string name, T[] values, T fallback)
        where T : struct, Enum
    {
        var text = result.Tokens.Single().Value;
        var names = values.Select(v => v.ToString().ToLowerInvariant()).ToList();
        var index = names.FindIndex(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            return values[index];
        }

        result.AddError($"{name}: '{text}' is not one of {string.Join(", ", names)}");
        return fallback;
    }
}
