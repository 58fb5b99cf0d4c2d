using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using ServerlessFedi.Team;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.Storage;

namespace ServerlessFedi.Tests.Statuses;

/// <summary>
/// Issue 13 item 2, a post's writes in the request: what a post leaves to its queue messages (its guard, sent first, and
/// its fan-out's first message), seen on the queue itself and in the storage requests the post makes (Azurite, no
/// listeners: the tests run the messages).
/// </summary>
[TestClass]
public sealed class PostQueueTests
{
    private sealed class Core : FaultyCore
    {
        public string FanoutQueue => Get<WorkQueue>().Names.Fanout;

        /// <summary>A new account as the request's authentication reads it (with its row's ETag).</summary>
        public async Task<LocalAccount> StoredAccountAsync() =>
            (await Get<AccountStore>().GetByIdAsync((await AccountAsync()).Id, CancellationToken.None))!;

        public PendingAudit Audit(LocalAccount account) => Get<AuditStore>().Prepare(account.Id, "pressestelle", "Tusky", "POST /api/v1/statuses", null);

        /// <summary>The messages visible on the fan-out queue (taken off it, so they count one attempt).</summary>
        public async Task<List<Azure.Storage.Queues.Models.QueueMessage>> TakeFanoutAsync() =>
            [.. (await Get<StorageAccount>().Queues.GetQueueClient(FanoutQueue).ReceiveMessagesAsync(32)).Value];

        public async Task<List<AuditEntry>> AuditOfAsync(string accountId)
        {
            var rows = new List<AuditEntry>();
            await foreach (var row in Get<AuditStore>().ListAsync(accountId))
            {
                rows.Add(row);
            }

            return rows;
        }

        public Task<IReadOnlyList<string>> TimelineAsync(string timeline) =>
            Get<TimelineStore>().PageAsync(timeline, null, null, null, 20, CancellationToken.None);
    }

    private static FanoutMessage Fanout(Azure.Storage.Queues.Models.QueueMessage message) =>
        JsonSerializer.Deserialize(message.Body.ToString(), QueueJsonContext.Default.FanoutMessage)!;

    [TestMethod]
    public async Task A_post_leaves_its_audit_row_to_its_fan_out_which_records_it_once()
    {
        await using var core = new Core();
        var author = await core.StoredAccountAsync();
        var audit = core.Audit(author);

        var result = await core.Get<StatusService>().CreateAsync(author, new NewStatus("Ferry timetable for the holidays.") { Audit = audit }, CancellationToken.None);

        Assert.IsTrue(result.AuditQueued, "the request records nothing itself");
        Assert.IsEmpty(await core.AuditOfAsync(author.Id));
        var first = Fanout((await core.TakeFanoutAsync()).Single());
        Assert.AreEqual(result.Status!.Id, first.Audit?.Entry.ObjectId, "the fan-out's first message carries the row, naming the post");
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await core.Get<FanoutProcessor>().ProcessAsync(first, CancellationToken.None);
        }

        var row = (await core.AuditOfAsync(author.Id)).Single();
        Assert.AreEqual((audit.Entry.Id, result.Status.Id, "pressestelle", "Tusky"), (row.Id, row.ObjectId, row.Staff, row.Application), "the row the request prepared, once");
    }

    [TestMethod]
    public async Task A_post_without_an_audit_row_carries_none_and_its_fan_out_records_nothing()
    {
        await using var core = new Core();
        var author = await core.StoredAccountAsync();

        var result = await core.Get<StatusService>().CreateAsync(author, new NewStatus("A scheduled post, published by the timer."), CancellationToken.None);

        Assert.IsFalse(result.AuditQueued);
        var first = Fanout((await core.TakeFanoutAsync()).Single());
        Assert.IsNull(first.Audit);
        await core.Get<FanoutProcessor>().ProcessAsync(first, CancellationToken.None);
        Assert.IsEmpty(await core.AuditOfAsync(author.Id));
    }

    [TestMethod]
    public async Task A_post_turns_its_guard_into_its_fan_out_message_with_one_update()
    {
        await using var core = new Core();
        var author = await core.StoredAccountAsync();
        var messages = "/" + core.FanoutQueue + "/messages";
        core.Faults.Attempts.Clear();

        var result = await core.Get<StatusService>().CreateAsync(author, new NewStatus("Road works on the bridge.") { Audit = core.Audit(author) }, CancellationToken.None);

        Assert.AreEqual(1, core.Faults.Count(r => r == "POST " + messages), "one send, the guard: " + string.Join(", ", core.Faults.Attempts));
        Assert.AreEqual(1, core.Faults.Count(r => r.StartsWith("PUT " + messages + "/", StringComparison.Ordinal)), "the guard updated into the fan-out");
        Assert.AreEqual(0, core.Faults.Count(r => r.StartsWith("DELETE " + messages, StringComparison.Ordinal)), "no guard left to delete");
        var taken = (await core.TakeFanoutAsync()).Single();
        Assert.AreEqual(1, taken.DequeueCount, "the update did not count as an attempt");
        Assert.IsNull(PostGuardMessage.TryParse(taken.Body.ToString()), "its content is the fan-out's now");
        var first = Fanout(taken);
        Assert.AreEqual((result.Status!.Id, 0, author.Id), (first.StatusId, first.Page, first.SenderId));
        Assert.AreEqual("Create", JsonDocument.Parse(first.Activity!).RootElement.GetProperty("type").GetString());
        Assert.AreEqual(result.Status.Id, first.Audit?.Entry.ObjectId);
    }

    [TestMethod]
    public async Task A_post_whose_request_dies_at_the_update_leaves_its_guard_waiting_to_finish_it()
    {
        await using var core = new Core();
        var author = await core.StoredAccountAsync();
        var messages = "/" + core.FanoutQueue + "/messages/";
        core.Faults.Fail(r => r.StartsWith("PUT " + messages, StringComparison.Ordinal), times: 10, status: 500);

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => core.Get<StatusService>().CreateAsync(author, new NewStatus("Lost in the request.") { Audit = core.Audit(author) }, CancellationToken.None));

        Assert.IsEmpty(await core.TakeFanoutAsync(), "nothing visible: the guard waits out its delay");
        var queue = core.Get<StorageAccount>().Queues.GetQueueClient(core.FanoutQueue);
        Assert.AreEqual(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount, "the guard, invisible");
        Assert.IsEmpty(await core.AuditOfAsync(author.Id), "recorded by the guard when it fires, not before");
    }

    [TestMethod]
    public async Task A_post_leaves_its_timelines_to_its_fan_out_which_places_them_once()
    {
        await using var core = new Core();
        var author = await core.StoredAccountAsync();
        core.Faults.Attempts.Clear();

        var posted = (await core.Get<StatusService>().CreateAsync(author, new NewStatus("Library closed on Friday. #Opening"), CancellationToken.None)).Status!;

        // Less what a process does once, on first use: creating the fan-out queue and a table.
        var request = core.Faults.Attempts.Where(r => r != "PUT /" + core.FanoutQueue && r != "POST /Tables").ToList();
        Assert.IsFalse(request.Any(r => r.Contains("timelines", StringComparison.Ordinal)), "no timeline written in the request: " + string.Join(", ", request));
        Assert.HasCount(5, request, "guard, status, account's copy, counter, the guard's update: " + string.Join(", ", request));
        foreach (var timeline in Timelines(author))
        {
            Assert.IsEmpty(await core.TimelineAsync(timeline), timeline + " before the fan-out");
        }

        var first = Fanout((await core.TakeFanoutAsync()).Single());
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await core.Get<FanoutProcessor>().ProcessAsync(first, CancellationToken.None);
        }

        foreach (var timeline in Timelines(author))
        {
            CollectionAssert.AreEqual(new[] { posted.Id }, (await core.TimelineAsync(timeline)).ToList(), timeline + ": placed by the fan-out's first message, once");
        }
    }

    [TestMethod]
    public async Task A_post_deleted_before_its_fan_out_runs_stays_out_of_its_timelines()
    {
        await using var core = new Core();
        var author = await core.StoredAccountAsync();
        var posted = (await core.Get<StatusService>().CreateAsync(author, new NewStatus("Posted by mistake. #Opening"), CancellationToken.None)).Status!;
        var first = Fanout((await core.TakeFanoutAsync()).Single());

        await core.Get<StatusService>().DeleteAsync(author, posted.Id, deleteMedia: true, CancellationToken.None);
        await core.Get<FanoutProcessor>().ProcessAsync(first, CancellationToken.None);

        foreach (var timeline in Timelines(author))
        {
            Assert.IsEmpty(await core.TimelineAsync(timeline), timeline);
        }
    }

    [TestMethod]
    public async Task A_post_finished_by_its_guard_ends_up_in_its_timelines_through_its_fan_out()
    {
        await using var core = new Core();
        var author = await core.StoredAccountAsync();
        var statusId = core.Get<SnowflakeIds>().Next();
        core.Faults.Fail(r => r.StartsWith("PUT /" + core.FanoutQueue + "/messages/", StringComparison.Ordinal), times: 10, status: 500);
        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => core.Get<StatusService>().CreateAsync(author, new NewStatus("Stored, then the process died. #Opening") { StatusId = statusId }, CancellationToken.None));
        core.Faults.Clear();

        // The guard, its delay run out (sent here as it would surface), finishes the post and sends its fan-out.
        await core.Get<PostGuardProcessor>().ProcessAsync(new PostGuardMessage(author.Id, statusId), CancellationToken.None);
        foreach (var timeline in Timelines(author))
        {
            Assert.IsEmpty(await core.TimelineAsync(timeline), timeline + " waits for the fan-out");
        }

        await core.Get<FanoutProcessor>().ProcessAsync(Fanout((await core.TakeFanoutAsync()).Single()), CancellationToken.None);
        foreach (var timeline in Timelines(author))
        {
            CollectionAssert.AreEqual(new[] { statusId }, (await core.TimelineAsync(timeline)).ToList(), timeline);
        }
    }

    /// <summary>The timelines a public local post tagged #Opening goes into.</summary>
    private static string[] Timelines(LocalAccount author) => [TimelineStore.Home(author.Id), TimelineStore.PublicLocal, TimelineStore.Tag("opening")];
}
