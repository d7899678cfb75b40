using System.CommandLine;
using Ledger.Cli;
using Ledger.Infrastructure;
using Spectre.Console;

namespace Ledger.Sources;

public static class SourcesCommand
{
    public static Command Create()
    {
        var format = CommonOptions.Format();
        var command = new Command("sources", "The registered sources: outlet, title, publication, language, content hash and how often each is cited.") { format };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await LedgerContext.OpenStoreAsync(ct);
            var sources = await SourceQueries.AllAsync(store, ct);
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                Console.WriteLine(Json.Serialize(sources));
                return 0;
            }

            // One block per source: a table of seven columns cannot hold titles and dates at 80 columns without
            // splitting words.
            TextLayout.Heading(AnsiConsole.Console, $"[bold]Sources[/] ({sources.Count})");
            foreach (var s in sources)
            {
                var published = s.PublishedAsPrinted is null ? $"{s.Published:yyyy-MM-dd} (not printed)" : $"{s.Published:yyyy-MM-dd} (printed \"{s.PublishedAsPrinted}\")";
                var language = s.TranslationNote is null ? s.Language : $"{s.Language}; {s.TranslationNote}";
                var details = $"{Markup.Escape(s.Outlet)}: {Markup.Escape(s.Title)}\n" +
                    $"published {Markup.Escape(published)} · language {Markup.Escape(language)} · cited {s.Citations.Count} " +
                    $"{(s.Citations.Count == 1 ? "time" : "times")}\n[grey]{Markup.Escape(s.ContentHash)}[/]";
                AnsiConsole.Write(TextLayout.Block(s.Id, details, null, AnsiConsole.Profile.Width));
            }

            return 0;
        });
        return command;
    }
}
