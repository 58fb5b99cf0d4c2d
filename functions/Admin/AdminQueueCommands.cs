using System.CommandLine;
using System.Text;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Federation;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Functions.Admin;

/// <summary>
/// <c>admin queues counts|poison|replay</c> and <c>admin deliveries</c>: nothing is lost silently, so what failed stays
/// inspectable and can be sent again.
/// </summary>
internal static class AdminQueueCommands
{
    public static Command Queues(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var queueOption = new Option<string?>("--queue") { Description = "inbox, fanout, deliver, accounts or media (default: all)." };
        var limit = new Option<int>("--limit") { Description = "At most this many messages per queue.", DefaultValueFactory = _ => 32 };

        var poison = new Command("poison", "List messages in the poison queues (peek; nothing is removed).");
        poison.Options.Add(queueOption);
        poison.Options.Add(limit);
        poison.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            var (queues, problem) = Select(sp, parse.GetValue(queueOption));
            if (problem is not null)
            {
                await error.WriteLineAsync($"error: {problem}");
                return 2;
            }

            var total = 0;
            foreach (var name in queues)
            {
                var client = Raw(sp, name + "-poison");
                if (!await client.ExistsAsync(ct))
                {
                    await output.WriteLineAsync($"{name}-poison: (no queue)");
                    continue;
                }

                var count = (await client.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
                await output.WriteLineAsync($"{name}-poison: about {count} message(s)");
                var peeked = await client.PeekMessagesAsync(Math.Clamp(parse.GetValue(limit), 1, 32), ct);
                foreach (var m in peeked.Value)
                {
                    total++;
                    await output.WriteLineAsync($"  {m.MessageId}  inserted {m.InsertedOn:u}  dequeued {m.DequeueCount}x  {Summarize(m.MessageText)}");
                }
            }

            await output.WriteLineAsync($"{total} message(s) shown");
            return 0;
        });

        var replay = new Command("replay", "Move poison messages back to their queue (a fresh attempt count).");
        replay.Options.Add(queueOption);
        replay.Options.Add(limit);
        replay.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            var (queues, problem) = Select(sp, parse.GetValue(queueOption));
            if (problem is not null)
            {
                await error.WriteLineAsync($"error: {problem}");
                return 2;
            }

            var moved = 0;
            var max = Math.Max(1, parse.GetValue(limit));
            foreach (var name in queues)
            {
                var source = Raw(sp, name + "-poison");
                var target = Raw(sp, name);
                if (!await source.ExistsAsync(ct))
                {
                    continue;
                }

                await target.CreateIfNotExistsAsync(cancellationToken: ct);
                while (moved < max)
                {
                    var batch = (await source.ReceiveMessagesAsync(Math.Min(32, max - moved), TimeSpan.FromMinutes(1), ct)).Value;
                    if (batch.Length == 0)
                    {
                        break;
                    }

                    foreach (var m in batch)
                    {
                        // Send first, then delete: a crash in between duplicates a message, never loses one.
                        await target.SendMessageAsync(ResetAttempt(m.MessageText), ct);
                        await source.DeleteMessageAsync(m.MessageId, m.PopReceipt, ct);
                        moved++;
                    }
                }
            }

            await output.WriteLineAsync($"{moved} message(s) replayed");
            return 0;
        });

        var counts = new Command("counts", "Messages waiting in each work queue and in its poison queue (approximate, as the service counts).");
        counts.Options.Add(queueOption);
        counts.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            var (queues, problem) = Select(sp, parse.GetValue(queueOption));
            if (problem is not null)
            {
                await error.WriteLineAsync($"error: {problem}");
                return 2;
            }

            var rows = await sp.GetRequiredService<PoisonWatch>().CountAsync(queues, ct);
            await output.WriteLineAsync($"{"QUEUE",-40}  {"MESSAGES",8}  {"POISON",8}");
            foreach (var row in rows)
            {
                await output.WriteLineAsync($"{row.Queue,-40}  {Count(row.Messages),8}  {Count(row.Poisoned),8}");
            }

            var poisoned = rows.Sum(r => r.Poisoned ?? 0);
            await output.WriteLineAsync(poisoned == 0 ? "nothing poisoned" : $"{poisoned} poisoned message(s): 'admin queues poison' shows them, 'admin queues replay' sends them again");
            return 0;

            static string Count(int? n) => n?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
        });

        var command = new Command("queues", "Work queues and their poison queues.");
        command.Subcommands.Add(counts);
        command.Subcommands.Add(poison);
        command.Subcommands.Add(replay);
        return command;
    }

    public static Command Deliveries(IConfiguration configuration, TextWriter output)
    {
        var command = new Command("deliveries", "Remote hosts whose deliveries are failing, and since when.");
        command.SetAction(async (_, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            var failing = await sp.GetRequiredService<DeliveryHealth>().ListAsync(ct);
            await output.WriteLineAsync($"{"HOST",-40}  {"FAILING SINCE (UTC)",-19}  {"LAST FAILURE",-16}  {"FAILURES",8}  STATE        LAST REASON");
            foreach (var (host, first, last, failures, reason, unavailable) in failing.OrderBy(f => f.FirstFailureAt))
            {
                await output.WriteLineAsync($"{host,-40}  {first.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {last.UtcDateTime:yyyy-MM-dd HH:mm}  {failures,8}  {(unavailable ? "unavailable" : "retrying"),-11}  {reason}");
            }

            await output.WriteLineAsync($"{failing.Count} failing host(s)");
            return 0;
        });
        return command;
    }

    /// <summary><c>admin reports</c>: Flags other servers sent about local accounts and statuses, newest first.</summary>
    private static (IReadOnlyList<string> Queues, string? Problem) Select(IServiceProvider sp, string? which)
    {
        var names = sp.GetRequiredService<FederationQueues>();
        return which?.ToLowerInvariant() switch
        {
            null or "" or "all" => (names.All, null),
            "inbox" => ([names.Inbox], null),
            "fanout" => ([names.Fanout], null),
            "deliver" => ([names.Deliver], null),
            "accounts" => ([names.Accounts], null),
            "media" => ([names.Media], null),
            "push" => ([names.Push], null),
            _ => ([], $"unknown queue '{which}': use inbox, fanout, deliver, accounts, media or push"),
        };
    }

    private static QueueClient Raw(IServiceProvider sp, string name) => sp.GetRequiredService<StorageAccount>().RawQueues.GetQueueClient(name);

    /// <summary>A delivery given up on carries its attempt count; a replay starts it afresh. Other messages pass unchanged.</summary>
    private static string ResetAttempt(string base64)
    {
        try
        {
            var json = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            var node = System.Text.Json.Nodes.JsonNode.Parse(json);
            if (node is System.Text.Json.Nodes.JsonObject o && o.ContainsKey("attempt") && o.ContainsKey("inbox"))
            {
                o["attempt"] = 1;
                o["firstAttemptAt"] = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
                return Convert.ToBase64String(Encoding.UTF8.GetBytes(o.ToJsonString()));
            }
        }
        catch (FormatException)
        {
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return base64;
    }

    private static string Summarize(string base64)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            text = "(not Base64) " + base64;
        }

        text = text.ReplaceLineEndings(" ");
        return text.Length > 200 ? text[..200] + "..." : text;
    }
}
