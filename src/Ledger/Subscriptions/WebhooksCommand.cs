using System.CommandLine;
using System.Globalization;
using Ledger.Cli;
using Ledger.Infrastructure;
using Marten;
using Spectre.Console;

namespace Ledger.Subscriptions;

/// <summary>Reads and resends webhook deliveries; shared by the API and the command line.</summary>
public static class WebhookDeadLetters
{
    public static async Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(IQuerySession session, Guid? webhookId, DeliveryStatus? status, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        IQueryable<WebhookDelivery> query = session.Query<WebhookDelivery>();
        if (webhookId is { } id)
        {
            query = query.Where(d => d.WebhookId == id);
        }

        if (status is { } s)
        {
            query = query.Where(d => d.Status == s);
        }

        var deliveries = await query.ToListAsync(ct);
        return deliveries.OrderBy(d => d.Sequence).ThenBy(d => d.WebhookId).ToList();
    }

    /// <summary>
    /// Puts dead-lettered deliveries back in the queue: each is recorded pending for a new round of attempts, and its
    /// message in Wolverine's dead-letter storage is marked replayable in the same transaction; a server's durability
    /// agent moves it back to the webhooks queue at its next poll. The idempotency key stays the same.
    /// </summary>
    public static async Task<IReadOnlyList<long>> ResendAsync(IDocumentSession session, Guid webhookId, long? sequence, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        var deadLetters = (await DeliveriesAsync(session, webhookId, DeliveryStatus.DeadLettered, ct))
            .Where(d => sequence is null || d.Sequence == sequence)
            .Where(d => d.DeadLetterId is not null)
            .ToList();
        var table = $"{session.DocumentStore.Options.DatabaseSchemaName}.wolverine_dead_letters";
        var now = DateTimeOffset.UtcNow;
        foreach (var delivery in deadLetters)
        {
            session.Store(delivery with { Status = DeliveryStatus.Pending, Round = delivery.Round + 1, NextAttemptAt = now, DeadLetterId = null });
            session.QueueSqlCommand($"update {table} set replayable = true where id = ?", delivery.DeadLetterId!.Value);
        }

        await session.SaveChangesAsync(ct);
        return deadLetters.Select(d => d.Sequence).ToList();
    }
}

/// <summary><c>ledger webhooks dead-letters</c> and <c>ledger webhooks resend</c>.</summary>
public static class WebhooksCommand
{
    public static Command Create()
    {
        var command = new Command("webhooks", "Webhook deliveries that gave up, and sending them again.");
        command.Subcommands.Add(DeadLetters());
        command.Subcommands.Add(Resend());
        return command;
    }

    private static Command DeadLetters()
    {
        var webhook = CommonOptions.Id("--webhook", "-w", "only this webhook's (its id)", "a webhook id");
        var format = CommonOptions.Format();
        var command = new Command("dead-letters", "List the deliveries whose every attempt failed, with the last error.") { webhook, format };
        command.SetAction(async (parse, ct) =>
        {
            var id = parse.GetValue(webhook);
            await using var store = await LedgerContext.OpenStoreAsync(ct);
            await using var session = store.QuerySession();
            var deadLetters = await WebhookDeadLetters.DeliveriesAsync(session, id, DeliveryStatus.DeadLettered, ct);
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                Console.WriteLine(Json.Serialize(deadLetters));
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).Title("[bold]Dead-lettered webhook deliveries[/]")
                .AddColumn("Webhook").AddColumn(new TableColumn("Sequence").RightAligned()).AddColumn("Development").AddColumn(new TableColumn("Attempts").RightAligned()).AddColumn("Last attempt").AddColumn("Last error");
            foreach (var d in deadLetters)
            {
                var last = d.Attempts.Count > 0 ? d.Attempts[^1] : null;
                table.AddRow(
                    d.WebhookId.ToString(),
                    d.Sequence.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(d.DevelopmentKey),
                    d.Attempts.Count.ToString(CultureInfo.InvariantCulture),
                    last?.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "",
                    Markup.Escape(last?.Error ?? ""));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Resend()
    {
        var webhook = new Argument<string>("webhook") { Description = "the webhook's id" };
        var sequence = new Argument<long?>("sequence")
        {
            Description = "the delivery's sequence number",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return null;
                }

                var text = result.Tokens[0].Value;
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    return number;
                }

                result.AddError($"sequence: '{text}' is not a delivery's sequence number (a whole number)");
                return null;
            },
        };
        var all = new Option<bool>("--all") { Description = "every dead-lettered delivery of the webhook" };
        var command = new Command("resend", "Send dead-lettered deliveries again (a running server picks them up); receivers see the same Idempotency-Key.") { webhook, sequence, all };
        command.SetAction(async (parse, ct) =>
        {
            var text = parse.GetValue(webhook) ?? "";
            if (!Guid.TryParse(text, out var id))
            {
                await Console.Error.WriteLineAsync($"error: webhook: '{text}' is not a webhook id");
                return 2;
            }

            var one = parse.GetValue(sequence);
            if (one is null == !parse.GetValue(all))
            {
                await Console.Error.WriteLineAsync("error: give either a sequence number or --all");
                return 2;
            }

            await using var store = await LedgerContext.OpenStoreAsync(ct);
            await using var session = store.LightweightSession();
            if (await session.LoadAsync<Webhook>(id, ct) is null)
            {
                await Console.Error.WriteLineAsync($"error: no webhook {id}");
                return 1;
            }

            var resent = await WebhookDeadLetters.ResendAsync(session, id, one, ct);
            if (resent.Count == 0)
            {
                await Console.Error.WriteLineAsync(one is null ? $"webhook {id} has no dead-lettered delivery" : $"error: webhook {id} has no dead-lettered delivery #{one}");
                return one is null ? 0 : 1;
            }

            Console.WriteLine($"resent to webhook {id}: {string.Join(", ", resent.Select(s => "#" + s.ToString(CultureInfo.InvariantCulture)))}");
            return 0;
        });
        return command;
    }
}
