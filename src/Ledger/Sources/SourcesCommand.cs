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

            var table = new Table().Border(TableBorder.Rounded).Title("[bold]Sources[/]")
                .AddColumn("Id").AddColumn("Outlet").AddColumn("Title").AddColumn("Published").AddColumn("Language").AddColumn(new TableColumn("Cited").RightAligned()).AddColumn("Content hash");
            foreach (var s in sources)
            {
                var published = s.PublishedAsPrinted is null ? $"{s.Published:yyyy-MM-dd} (not printed)" : $"{s.Published:yyyy-MM-dd} (printed \"{s.PublishedAsPrinted}\")";
                var language = s.TranslationNote is null ? s.Language : $"{s.Language}; {s.TranslationNote}";
                table.AddRow(Markup.Escape(s.Id), Markup.Escape(s.Outlet), Markup.Escape(s.Title), Markup.Escape(published), Markup.Escape(language), s.Citations.Count.ToString(), Markup.Escape(s.ContentHash[..19] + "…"));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
