using System.CommandLine;
using Ledger.Cli;
using Ledger.Domain.Recording;
using Ledger.Infrastructure;
using Ledger.Negotiations;
using Ledger.Recording;
using Marten;
using Spectre.Console;

namespace Ledger.Sources;

/// <summary>What <c>ledger add-source</c> was asked to do.</summary>
public sealed record AddSourceRequest(string TextPath, SourceMetadata Metadata, string? NegotiationId = null, string? SeedsFolder = null);

public static class AddSourceCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "the article's exact text (UTF-8), as it will be quoted" };
        var id = new Option<string?>("--id") { Description = "source id (default: the outlet in lower case and the publication date, as in seeds/)" };
        var outlet = new Option<string?>("--outlet") { Description = "the outlet that published the article" };
        var title = new Option<string?>("--title") { Description = "the article's title" };
        var url = new Option<string?>("--url") { Description = "where the article was read" };
        var published = new Option<string?>("--published") { Description = "publication date, YYYY-MM-DD" };
        var asPrinted = new Option<string?>("--published-as-printed") { Description = "the date as the article prints it (\"August 20\")" };
        var publishedNote = new Option<string?>("--published-note") { Description = "how the publication date was established when it is not printed" };
        var language = new Option<string?>("--language") { Description = "language of the text (en, uk, ru, …)" };
        var translation = new Option<string?>("--translation-note") { Description = "who translated the text, when it is a translation" };
        var negotiation = CommonOptions.Negotiation();
        negotiation.Description = "the negotiation the article is about (checked, and named in the next step)";
        var seeds = new Option<DirectoryInfo?>("--write-seeds") { Description = "also write <id>.txt and <id>.yaml into this folder (the repository's seeds/ format)" };
        var command = new Command("add-source", "Register an article's text with its metadata; ask for what is missing when run at a terminal.")
        {
            file, id, outlet, title, url, published, asPrinted, publishedNote, language, translation, negotiation, seeds,
        };
        command.SetAction(async (parse, ct) =>
        {
            var metadata = new SourceMetadata(
                parse.GetValue(id), parse.GetValue(outlet), parse.GetValue(title), parse.GetValue(url), parse.GetValue(published),
                parse.GetValue(asPrinted), parse.GetValue(publishedNote), parse.GetValue(language), parse.GetValue(translation));
            var request = new AddSourceRequest(parse.GetValue(file)!.FullName, metadata, parse.GetValue(negotiation), parse.GetValue(seeds)?.FullName);
            if (!Console.IsInputRedirected)
            {
                request = request with { Metadata = Ask(request.Metadata) };
            }

            await using var store = await LedgerContext.OpenStoreAsync(ct);
            return await RunAsync(store, request, Console.Out, Console.Error, ct);
        });
        return command;
    }

    /// <summary>Asks, at a terminal, for each required field no option gave.</summary>
    private static SourceMetadata Ask(SourceMetadata metadata)
    {
        foreach (var field in AddSource.Missing(metadata))
        {
            var hint = field switch
            {
                "published" => " (YYYY-MM-DD)",
                "language" => " (en, uk, ru, …)",
                _ => "",
            };
            metadata = AddSource.With(metadata, field, AnsiConsole.Prompt(new TextPrompt<string>($"{field}{hint}:")));
        }

        return metadata;
    }

    /// <summary>
    /// Adds the article: checks it, registers it, writes its seeds when asked. Whatever is still missing is an error
    /// naming the fields (a pipe or a script cannot be asked).
    /// </summary>
    public static async Task<int> RunAsync(IDocumentStore store, AddSourceRequest request, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (AddSource.Missing(request.Metadata) is { Count: > 0 } missing)
        {
            var options = string.Join(", ", missing.Select(m => AddSource.RequiredFields.First(f => f.Field == m).Option));
            await error.WriteLineAsync($"ledger add-source: missing {string.Join(", ", missing)}: give {options} (standard input is not a terminal, so they are not asked for)");
            return 1;
        }

        var errors = new List<InputError>();
        var registered = AddSource.Read(request.TextPath, request.Metadata, errors);
        if (request.NegotiationId is { } negotiationId)
        {
            await using var session = store.QuerySession(Partitioning.Of(store).TenantOf(negotiationId));
            if (await session.LoadAsync<NegotiationRegistration>(StreamKeys.Negotiation(negotiationId), ct) is null)
            {
                errors.Add(new InputError("options", 0, "--negotiation", $"unknown negotiation '{negotiationId}' (import its negotiation.yaml first)"));
            }
        }

        if (registered is null || errors.Count > 0)
        {
            foreach (var problem in errors)
            {
                await error.WriteLineAsync(problem.File == "options" ? $"error: {problem.Field}: {problem.Message}" : $"error: {problem}");
            }

            return 1;
        }

        var (outcome, refusal) = await AddSource.RegisterAsync(store, registered, $"add-source:{Environment.UserName}", ct);
        if (refusal is not null)
        {
            await error.WriteLineAsync($"error: {refusal}");
            return 1;
        }

        IReadOnlyList<string> written = [];
        if (request.SeedsFolder is { } folder)
        {
            (written, var seedRefusal) = AddSource.WriteSeeds(folder, registered.SourceId, request.TextPath, request.Metadata with { Id = registered.SourceId });
            if (seedRefusal is not null)
            {
                await error.WriteLineAsync($"error: {seedRefusal}");
                return 1;
            }
        }

        await output.WriteLineAsync(outcome == SourceOutcome.AlreadyRegistered
            ? $"source '{registered.SourceId}' is already registered with this text ({registered.ContentHash})"
            : $"registered source '{registered.SourceId}': {registered.Text.Length} characters, {registered.ContentHash}");
        foreach (var path in written)
        {
            await output.WriteLineAsync($"wrote {path}");
        }

        await output.WriteLineAsync($"next: ledger draft {registered.SourceId}{(request.NegotiationId is { } n ? $" -n {n}" : "")} --output {registered.SourceId}.yaml");
        return 0;
    }
}
