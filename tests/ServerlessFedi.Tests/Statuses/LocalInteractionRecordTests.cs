using Azure;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Storage;

namespace ServerlessFedi.Tests.Statuses;

/// <summary>
/// Issue 13 item 2: a local account's favourite or boost of a local status writes only the account's mark in the
/// request; its record (<c>favourited_by</c>, <c>reblogged_by</c>, an edit's boosters) is written by its queue message
/// (<see cref="InteractionEffects"/>), which then reads the mark and deletes the record again when the mark is gone.
/// The windows between the answer and the message: an Undo on either side of the message's insert, the request dying
/// before its send, the message running twice, an account's content removed, a favourite undone and made again while
/// the message deletes. Real storage (Azurite) with interleavings placed at exact requests.
/// </summary>
[TestClass]
public sealed class LocalInteractionRecordTests
{
    private sealed class Core : FaultyCore
    {
        public string FanoutQueue => Get<WorkQueue>().Names.Fanout;

        public async Task<IReadOnlyList<(string ActorId, string AccountId)>> RecordsAsync(InteractionKind kind, string statusId) =>
            await Get<InteractionStore>().ListActorsAsync(kind, statusId, 10, CancellationToken.None);

        public async Task<long> StoredCountAsync(InteractionKind kind, string statusId) =>
            CountOf(kind, (await Get<StatusStore>().GetAsync(statusId, CancellationToken.None))!);

        public async Task<long> CopiedCountAsync(InteractionKind kind, string authorId) =>
            CountOf(kind, (await Get<StatusStore>().GetAccountStatusesAsync(authorId, null, 5, CancellationToken.None)).Single());

        /// <summary>A local favourite or boost through its request: the count its answer shows.</summary>
        public async Task<long> DoAsync(InteractionKind kind, LocalAccount fan, string statusId) =>
            kind == InteractionKind.Favourite
                ? (await Get<StatusInteractions>().FavouriteAsync(fan, statusId, CancellationToken.None)).Status!.FavouritesCount
                : (await Get<StatusInteractions>().ReblogAsync(fan, statusId, CancellationToken.None)).Result.Status!.ReblogsCount;

        /// <summary>Its undoing through its request: the count its answer shows.</summary>
        public async Task<long> UndoAsync(InteractionKind kind, LocalAccount fan, string statusId) =>
            CountOf(kind, kind == InteractionKind.Favourite
                ? (await Get<StatusInteractions>().UnfavouriteAsync(fan, statusId, CancellationToken.None)).Status!
                : (await Get<StatusInteractions>().UnreblogAsync(fan, statusId, CancellationToken.None)).Status!);

        /// <summary>The favourite's message or the boost's Announce fan-out message waiting on the fan-out queue (all taken off it).</summary>
        public async Task<Func<Task>> TakeMessageAsync(InteractionKind kind)
        {
            var bodies = (await Get<StorageAccount>().Queues.GetQueueClient(FanoutQueue).ReceiveMessagesAsync(32)).Value.Select(m => m.Body.ToString()).ToList();
            if (kind == InteractionKind.Favourite)
            {
                var favourite = bodies.Select(FavouriteMessage.TryParse).OfType<FavouriteMessage>().Single();
                return () => Get<InteractionEffects>().ApplyFavouriteAsync(favourite, CancellationToken.None);
            }

            var boost = bodies.Where(b => FavouriteMessage.TryParse(b) is null)
                .Select(b => System.Text.Json.JsonSerializer.Deserialize(b, QueueJsonContext.Default.FanoutMessage)).Single(m => m?.Boost is not null)!;
            return () => Get<FanoutProcessor>().ProcessAsync(boost, CancellationToken.None);
        }

        private static long CountOf(InteractionKind kind, Status status) => kind == InteractionKind.Favourite ? status.FavouritesCount : status.ReblogsCount;
    }

    /// <summary>The record's partition in a request's path (<c>favourite-{statusId}</c>, <c>reblog-{statusId}</c>).</summary>
    private static Func<string, bool> Record(string method, InteractionKind kind, string statusId) =>
        r => r.StartsWith(method + " /", StringComparison.Ordinal) && r.Contains(StorageKeys.InteractionByPartition(kind.ToString(), statusId), StringComparison.Ordinal);

    /// <summary>A point read of a mark (<c>marks-{accountId}</c>): only the message reads one.</summary>
    private static Func<string, bool> MarkRead(string accountId) =>
        r => r.StartsWith("GET /", StringComparison.Ordinal) && r.Contains(StorageKeys.MarksPartition(accountId), StringComparison.Ordinal);

    [TestMethod]
    [DataRow(InteractionKind.Favourite)]
    [DataRow(InteractionKind.Reblog)]
    public async Task The_request_writes_only_the_mark_and_its_message_records_the_record_once_however_often_it_runs(InteractionKind kind)
    {
        await using var core = new Core();
        var (author, status) = await core.PostAsync();
        var (fan, _) = await core.PostAsync();

        var inserts = "POST /" + core.Get<FediTables>().PhysicalName(StorageNames.InteractionsTable);
        core.Faults.Attempts.Clear();

        Assert.AreEqual(1, await core.DoAsync(kind, fan, status.Id));
        Assert.AreEqual(1, core.Faults.Count(r => r == inserts), "one insert in the request, the mark: " + string.Join(", ", core.Faults.Attempts));
        Assert.IsEmpty(await core.RecordsAsync(kind, status.Id), "no record in the request");
        var message = await core.TakeMessageAsync(kind);
        await message();
        await message();

        var records = await core.RecordsAsync(kind, status.Id);
        Assert.HasCount(1, records, "recorded once");
        Assert.AreEqual(fan.Id, records[0].AccountId, "with the account's API id");
        Assert.AreEqual(1, await core.StoredCountAsync(kind, status.Id));
        Assert.AreEqual(1, await core.CopiedCountAsync(kind, author.Id));
        Assert.AreEqual(1, await core.NotificationsAsync(author.Id), "notified once");
    }

    [TestMethod]
    [DataRow(InteractionKind.Favourite)]
    [DataRow(InteractionKind.Reblog)]
    public async Task Undone_before_its_message_runs_it_leaves_no_record_no_count_and_no_notification(InteractionKind kind)
    {
        await using var core = new Core();
        var (author, status) = await core.PostAsync();
        var (fan, _) = await core.PostAsync();
        Assert.AreEqual(1, await core.DoAsync(kind, fan, status.Id));
        var message = await core.TakeMessageAsync(kind);

        Assert.AreEqual(0, await core.UndoAsync(kind, fan, status.Id), "uncounted on the mark alone");
        await message();
        await message();

        Assert.IsEmpty(await core.RecordsAsync(kind, status.Id), "the message deleted the record it wrote");
        Assert.AreEqual(0, await core.StoredCountAsync(kind, status.Id));
        Assert.AreEqual(0, await core.CopiedCountAsync(kind, author.Id));
        Assert.AreEqual(0, await core.NotificationsAsync(author.Id));
        Assert.IsTrue(core.Faults.Count(Record("DELETE", kind, status.Id)) >= 3, "the Undo's delete and the message's");
    }

    [TestMethod]
    [DataRow(InteractionKind.Favourite)]
    [DataRow(InteractionKind.Reblog)]
    public async Task Undone_between_the_messages_insert_and_its_mark_read_the_undo_deletes_the_record(InteractionKind kind)
    {
        await using var core = new Core();
        var (author, status) = await core.PostAsync();
        var (fan, _) = await core.PostAsync();
        Assert.AreEqual(1, await core.DoAsync(kind, fan, status.Id));
        var message = await core.TakeMessageAsync(kind);

        var undone = -1L;
        core.Faults.Before(MarkRead(fan.Id), async () => undone = await core.UndoAsync(kind, fan, status.Id));
        await message();

        Assert.AreEqual(0, undone, "the Undo ran between the insert and the read");
        Assert.IsEmpty(await core.RecordsAsync(kind, status.Id));
        Assert.AreEqual(0, await core.StoredCountAsync(kind, status.Id));
        Assert.AreEqual(0, await core.NotificationsAsync(author.Id));
    }

    [TestMethod]
    [DataRow(InteractionKind.Favourite)]
    [DataRow(InteractionKind.Reblog)]
    public async Task A_message_that_runs_between_the_undos_mark_and_record_deletes_finds_the_mark_gone(InteractionKind kind)
    {
        await using var core = new Core();
        var (author, status) = await core.PostAsync();
        var (fan, _) = await core.PostAsync();
        Assert.AreEqual(1, await core.DoAsync(kind, fan, status.Id));
        var message = await core.TakeMessageAsync(kind);

        core.Faults.Before(Record("DELETE", kind, status.Id), message);
        Assert.AreEqual(0, await core.UndoAsync(kind, fan, status.Id));

        Assert.IsEmpty(await core.RecordsAsync(kind, status.Id));
        Assert.AreEqual(0, await core.StoredCountAsync(kind, status.Id));
        Assert.AreEqual(0, await core.NotificationsAsync(author.Id));
        Assert.IsTrue(core.Faults.Count(MarkRead(fan.Id)) >= 1, "the message ran");
    }

    [TestMethod]
    [DataRow(InteractionKind.Favourite)]
    [DataRow(InteractionKind.Reblog)]
    public async Task A_request_that_died_after_the_mark_before_its_send_is_completed_by_its_retry(InteractionKind kind)
    {
        await using var core = new Core();
        var (author, status) = await core.PostAsync();
        var (fan, _) = await core.PostAsync();
        var send = "POST /" + core.FanoutQueue + "/messages";

        core.Faults.Fail(r => r == send, times: 1, status: 400);
        await Assert.ThrowsAsync<RequestFailedException>(() => core.DoAsync(kind, fan, status.Id));
        Assert.AreEqual(0, await core.StoredCountAsync(kind, status.Id));
        Assert.IsEmpty(await core.RecordsAsync(kind, status.Id), "nothing but the mark");

        Assert.AreEqual(1, await core.DoAsync(kind, fan, status.Id), "the retry finds the mark, not counted: its effects are due");
        await (await core.TakeMessageAsync(kind))();

        Assert.HasCount(1, await core.RecordsAsync(kind, status.Id));
        Assert.AreEqual(1, await core.StoredCountAsync(kind, status.Id));
        Assert.AreEqual(1, await core.CopiedCountAsync(kind, author.Id));
        Assert.AreEqual(1, await core.NotificationsAsync(author.Id));
    }

    [TestMethod]
    [DataRow(InteractionKind.Favourite)]
    [DataRow(InteractionKind.Reblog)]
    public async Task An_account_whose_content_is_removed_before_its_message_runs_is_uncounted_and_left_unrecorded(InteractionKind kind)
    {
        await using var core = new Core();
        var (author, status) = await core.PostAsync();
        var (fan, _) = await core.PostAsync();
        Assert.AreEqual(1, await core.DoAsync(kind, fan, status.Id));
        var message = await core.TakeMessageAsync(kind);

        await core.Get<AccountContentRemoval>().RemoveMarksAsync(fan, CancellationToken.None);
        Assert.AreEqual(0, await core.StoredCountAsync(kind, status.Id), "the mark alone says it was there");
        await message();

        Assert.IsEmpty(await core.RecordsAsync(kind, status.Id));
        Assert.AreEqual(0, await core.StoredCountAsync(kind, status.Id));
        Assert.AreEqual(0, await core.NotificationsAsync(author.Id));
    }

    [TestMethod]
    [DataRow(InteractionKind.Favourite)]
    [DataRow(InteractionKind.Reblog)]
    public async Task Undone_and_made_again_while_the_first_message_deletes_its_record_the_record_stays(InteractionKind kind)
    {
        await using var core = new Core();
        var (_, status) = await core.PostAsync();
        var (fan, _) = await core.PostAsync();
        Assert.AreEqual(1, await core.DoAsync(kind, fan, status.Id));
        var first = await core.TakeMessageAsync(kind);
        Assert.AreEqual(0, await core.UndoAsync(kind, fan, status.Id));

        // The first message finds the mark gone; before its delete goes out, the favourite or boost is made again and
        // its own message finds the first one's record and keeps it.
        core.Faults.Before(Record("DELETE", kind, status.Id), async () =>
        {
            Assert.AreEqual(1, await core.DoAsync(kind, fan, status.Id));
            await (await core.TakeMessageAsync(kind))();
        });
        await first();

        Assert.HasCount(1, await core.RecordsAsync(kind, status.Id), "written again after the delete");
        Assert.AreEqual(1, await core.StoredCountAsync(kind, status.Id));
    }
}
