using Azure;
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
/// Issue 17, item 1: a Like, an Announce or a Follow is recorded (its claim row) and then has effects (count,
/// notification, reverse index, inbox set). A failure after the claim must not lose them: the retry the queue makes
/// applies what is missing, once. Many at once against one status or one account, with conflicts injected on top,
/// must lose nothing and count nothing twice. Real storage (Azurite) with injected faults under the storage clients.
/// </summary>
[TestClass]
[DoNotParallelize] // hundreds of concurrent writers against Azurite: run alone, so the timing-bound federation tests beside it are not starved
public sealed class InteractionEffectsTests
{
    private static string Actor(int n) => $"https://remote{n % 7}.example/users/u{n:D4}";

    /// <summary>What the queue does with a failed message: runs it again (until it succeeds, here).</summary>
    private static async Task RetriedAsync(Func<Task> work)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await work();
                return;
            }
            catch (RequestFailedException) when (attempt < 50)
            {
            }
        }
    }

    /// <summary>The count's range query over the status's partition (<c>GET /{prefix}statuses()</c>; point reads name a row).</summary>
    private static bool CountRead(string request) => request.StartsWith("GET /", StringComparison.Ordinal) && request.EndsWith("statuses()", StringComparison.Ordinal);

    [TestMethod]
    public async Task A_like_that_failed_after_its_claim_is_counted_and_notified_once_when_retried()
    {
        await using var core = new FaultyCore();
        var (author, status) = await core.PostAsync();
        var interactions = core.Get<StatusInteractions>();

        // The count's first request (its read of the status partition) fails for good (a 400 is not retried by the
        // storage client): the claim is already written.
        core.Faults.Fail(CountRead, times: 1, status: 400);
        await Assert.ThrowsAsync<RequestFailedException>(() => interactions.ReceiveAsync(InteractionKind.Favourite, status, Actor(1), Actor(1) + "#like", CancellationToken.None));
        Assert.AreEqual(0, (await core.Get<StatusStore>().GetAsync(status.Id, CancellationToken.None))!.FavouritesCount);

        await interactions.ReceiveAsync(InteractionKind.Favourite, status, Actor(1), Actor(1) + "#like", CancellationToken.None);
        await interactions.ReceiveAsync(InteractionKind.Favourite, status, Actor(1), Actor(1) + "#like", CancellationToken.None);

        Assert.AreEqual(1, (await core.Get<StatusStore>().GetAsync(status.Id, CancellationToken.None))!.FavouritesCount, "counted once");
        Assert.AreEqual(1, await core.NotificationsAsync(author.Id), "notified once");
    }

    [TestMethod]
    public async Task The_undo_of_a_like_whose_count_failed_uncounts_nothing()
    {
        await using var core = new FaultyCore();
        var (author, status) = await core.PostAsync();
        var interactions = core.Get<StatusInteractions>();
        var uri = core.Get<ServerlessFedi.Configuration.InstanceUrls>().Status(author.Username, status.Id);
        await interactions.ReceiveAsync(InteractionKind.Favourite, status, Actor(1), Actor(1) + "#like", CancellationToken.None);

        // Actor 2's Like is recorded but its count fails; its Undo arrives before the queue retries the Like.
        core.Faults.Fail(CountRead, times: 1, status: 400);
        await Assert.ThrowsAsync<RequestFailedException>(() => interactions.ReceiveAsync(InteractionKind.Favourite, status, Actor(2), Actor(2) + "#like", CancellationToken.None));
        await interactions.ReceiveUndoAsync(InteractionKind.Favourite, uri, Actor(2), CancellationToken.None);
        await interactions.ReceiveUndoAsync(InteractionKind.Favourite, uri, Actor(2), CancellationToken.None);

        Assert.AreEqual(1, (await core.Get<StatusStore>().GetAsync(status.Id, CancellationToken.None))!.FavouritesCount, "only actor 1's Like is counted");
    }

    [TestMethod]
    public async Task An_announce_whose_notification_failed_is_notified_and_counted_when_retried()
    {
        await using var core = new FaultyCore();
        var (author, status) = await core.PostAsync();
        var interactions = core.Get<StatusInteractions>();

        core.Faults.Fail(r => r.StartsWith("POST /$batch", StringComparison.Ordinal), times: 1, status: 400);
        await Assert.ThrowsAsync<RequestFailedException>(() => interactions.ReceiveAsync(InteractionKind.Reblog, status, Actor(2), Actor(2) + "#announce", CancellationToken.None));

        await interactions.ReceiveAsync(InteractionKind.Reblog, status, Actor(2), Actor(2) + "#announce", CancellationToken.None);

        Assert.AreEqual(1, (await core.Get<StatusStore>().GetAsync(status.Id, CancellationToken.None))!.ReblogsCount);
        Assert.AreEqual(1, await core.NotificationsAsync(author.Id));
    }

    [TestMethod]
    public async Task Two_hundred_concurrent_likes_with_injected_conflicts_are_each_counted_and_notified_once()
    {
        const int Likes = 200;
        await using var core = new FaultyCore();
        var (author, status) = await core.PostAsync();
        var interactions = core.Get<StatusInteractions>();
        core.Faults.Fail(r => r.StartsWith("POST /$batch", StringComparison.Ordinal), times: 30, status: 412);
        core.Faults.Fail(r => r.Contains("pending-", StringComparison.Ordinal), times: 20, status: 500, afterSending: true);

        await Parallel.ForEachAsync(Enumerable.Range(0, Likes), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (n, _) =>
            await RetriedAsync(() => interactions.ReceiveAsync(InteractionKind.Favourite, status, Actor(n), Actor(n) + "#like", CancellationToken.None)));
        await interactions.ReceiveUndoAsync(InteractionKind.Favourite, core.Get<ServerlessFedi.Configuration.InstanceUrls>().Status(author.Username, status.Id), Actor(0), CancellationToken.None);

        var stored = await core.Get<StatusStore>().GetAsync(status.Id, CancellationToken.None);
        Assert.AreEqual(Likes - 1, stored!.FavouritesCount, "every Like counted once, the undone one taken back");
        Assert.AreEqual(Likes, await core.NotificationsAsync(author.Id), "one notification per Like");
        Assert.IsGreaterThan(0, core.Faults.Injected.Count(i => i.Request.StartsWith("POST /$batch", StringComparison.Ordinal)), "conflicts were injected");
    }

    [TestMethod]
    public async Task A_follow_that_failed_after_its_claim_is_counted_indexed_and_notified_once_when_retried()
    {
        await using var core = new FaultyCore();
        var (account, _) = await core.PostAsync();
        var followers = core.Get<FollowerStore>();
        var actor = new RemoteActor(Actor(3), "Person", "u3", null, Actor(3) + "/inbox", "https://remote3.example/inbox", null, null, null, null, null, DateTimeOffset.UtcNow);
        var notified = 0;
        Task Notify(CancellationToken _)
        {
            Interlocked.Increment(ref notified);
            return Task.CompletedTask;
        }

        // The reverse index's write fails after the follower row is in.
        core.Faults.Fail(r => r.Contains("by-", StringComparison.Ordinal), times: 1, status: 400);
        await Assert.ThrowsAsync<RequestFailedException>(() => followers.AddAsync(account.Id, actor, "f1", null, Notify, CancellationToken.None));

        Assert.IsTrue(await followers.AddAsync(account.Id, actor, "f1", null, Notify, CancellationToken.None), "the retry applies the effects");
        Assert.IsFalse(await followers.AddAsync(account.Id, actor, "f1", null, Notify, CancellationToken.None), "a repeat changes nothing");

        Assert.AreEqual(1, (await core.Get<AccountStore>().GetByIdAsync(account.Id, CancellationToken.None))!.FollowersCount);
        Assert.AreEqual(1, notified);
        CollectionAssert.AreEqual(new[] { account.Id }, (await followers.GetFollowedAccountIdsAsync(actor.Id, CancellationToken.None)).ToArray());
        var (targets, _) = await followers.Inboxes.GetPageAsync(account.Id, "0", "g", null, cancellationToken: CancellationToken.None);
        Assert.AreEqual("https://remote3.example/inbox", targets.Single().Inbox);
    }

    [TestMethod]
    public async Task A_follow_whose_count_was_stored_but_not_answered_is_counted_once_and_uncounted_once()
    {
        await using var core = new FaultyCore();
        var (account, _) = await core.PostAsync();
        var followers = core.Get<FollowerStore>();
        var accounts = core.Get<AccountStore>();
        var accountsTable = core.Get<FediTables>().PhysicalName(StorageNames.AccountsTable);
        var followersTable = core.Get<FediTables>().PhysicalName(StorageNames.FollowersTable);
        RemoteActor Follower(int n) => new(Actor(n), "Person", $"u{n}", null, Actor(n) + "/inbox", null, null, null, null, null, null, DateTimeOffset.UtcNow);
        Assert.IsTrue(await followers.AddAsync(account.Id, Follower(1), "f1", CancellationToken.None));

        // The process dies after storage applied the count, before the follower row is marked counted.
        bool CounterWrite(string r) => r.StartsWith("POST /$batch", StringComparison.Ordinal) || (r.StartsWith("PATCH", StringComparison.Ordinal) && r.Contains(accountsTable, StringComparison.Ordinal));
        core.Faults.Fail(CounterWrite, times: 1, status: 400, afterSending: true);
        await Assert.ThrowsAsync<RequestFailedException>(() => followers.AddAsync(account.Id, Follower(2), "f2", CancellationToken.None));
        Assert.IsFalse(await followers.AddAsync(account.Id, Follower(2), "f2", CancellationToken.None), "the retry finds the follow counted (its marker)");
        Assert.AreEqual(2, (await accounts.GetByIdAsync(account.Id, CancellationToken.None))!.FollowersCount, "counted once");

        // The process dies after the uncount, before the follower row is deleted.
        core.Faults.Fail(r => r.StartsWith("DELETE", StringComparison.Ordinal) && r.Contains(followersTable, StringComparison.Ordinal) && r.Contains(account.Id, StringComparison.Ordinal)
            && !r.Contains("by-", StringComparison.Ordinal) && !r.Contains("inbox", StringComparison.Ordinal), times: 1, status: 400);
        await Assert.ThrowsAsync<RequestFailedException>(() => followers.RemoveAsync(account.Id, Actor(2), CancellationToken.None));
        Assert.IsTrue(await followers.RemoveAsync(account.Id, Actor(2), CancellationToken.None), "the retry completes the removal");
        Assert.AreEqual(1, (await accounts.GetByIdAsync(account.Id, CancellationToken.None))!.FollowersCount, "uncounted once");
        Assert.IsFalse(await followers.RemoveAsync(account.Id, Actor(2), CancellationToken.None));
        Assert.AreEqual(1, (await accounts.GetByIdAsync(account.Id, CancellationToken.None))!.FollowersCount);
    }

    [TestMethod]
    public async Task A_follow_by_a_local_account_interrupted_at_any_step_is_indexed_and_counted_once_when_retried()
    {
        await using var core = new FaultyCore();
        var (account, _) = await core.PostAsync();
        var following = core.Get<FollowingStore>();
        var accounts = core.Get<AccountStore>();
        var followingTable = core.Get<FediTables>().PhysicalName(StorageNames.FollowingTable);
        async Task<long> CountAsync() => (await accounts.GetByIdAsync(account.Id, CancellationToken.None))!.FollowingCount;

        // The reverse index's write fails after the follow row is in: the retry sees an accepted follow and completes it.
        core.Faults.Fail(r => r.Contains(followingTable, StringComparison.Ordinal) && r.Contains("of-", StringComparison.Ordinal), times: 1, status: 400);
        await Assert.ThrowsAsync<RequestFailedException>(() => following.AddAsync(account.Id, Actor(1), "", Actor(1) + "#f", true, CancellationToken.None));
        Assert.AreEqual(FollowingStore.Accepted, await following.AddAsync(account.Id, Actor(1), "", Actor(1) + "#f", true, CancellationToken.None));
        CollectionAssert.Contains((await following.GetLocalFollowersOfAsync(Actor(1), CancellationToken.None)).ToArray(), account.Id, "indexed");
        Assert.AreEqual(1, await CountAsync());

        // The count is stored but its answer lost: the retry counts nothing more.
        core.Faults.Fail(r => r.StartsWith("POST /$batch", StringComparison.Ordinal), times: 1, status: 400, afterSending: true);
        await Assert.ThrowsAsync<RequestFailedException>(() => following.AddAsync(account.Id, Actor(2), "", Actor(2) + "#f", true, CancellationToken.None));
        await following.AddAsync(account.Id, Actor(2), "", Actor(2) + "#f", true, CancellationToken.None);
        Assert.AreEqual(2, await CountAsync());

        // A requested follow accepted, interrupted after the state changed: the retried Accept counts it once.
        await following.AddAsync(account.Id, Actor(3), "", Actor(3) + "#f", false, CancellationToken.None);
        core.Faults.Fail(r => r.Contains(followingTable, StringComparison.Ordinal) && r.Contains("of-", StringComparison.Ordinal), times: 1, status: 400);
        await Assert.ThrowsAsync<RequestFailedException>(() => following.AcceptAsync(account.Id, Actor(3), CancellationToken.None));
        Assert.IsFalse(await following.AcceptAsync(account.Id, Actor(3), CancellationToken.None), "already accepted");
        Assert.AreEqual(3, await CountAsync());
        CollectionAssert.Contains((await following.GetLocalFollowersOfAsync(Actor(3), CancellationToken.None)).ToArray(), account.Id);

        // An unfollow interrupted after the uncount: the retry takes nothing more.
        core.Faults.Fail(r => r.StartsWith("DELETE", StringComparison.Ordinal) && r.Contains(followingTable, StringComparison.Ordinal) && !r.Contains("of-", StringComparison.Ordinal), times: 1, status: 400);
        await Assert.ThrowsAsync<RequestFailedException>(() => following.RemoveAsync(account.Id, Actor(2), CancellationToken.None));
        Assert.IsNotNull(await following.RemoveAsync(account.Id, Actor(2), CancellationToken.None));
        Assert.IsNull(await following.RemoveAsync(account.Id, Actor(2), CancellationToken.None));
        Assert.AreEqual(2, await CountAsync());
    }

    [TestMethod]
    public async Task One_hundred_concurrent_follows_with_injected_counter_conflicts_are_all_counted()
    {
        const int Follows = 100;
        await using var core = new FaultyCore();
        var (account, _) = await core.PostAsync();
        var followers = core.Get<FollowerStore>();
        var accountsTable = core.Get<FediTables>().PhysicalName(StorageNames.AccountsTable);
        core.Faults.Fail(r => r.StartsWith("PATCH", StringComparison.Ordinal) && r.Contains(accountsTable, StringComparison.Ordinal), times: 40, status: 412);

        await Parallel.ForEachAsync(Enumerable.Range(0, Follows), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (n, _) =>
        {
            var actor = new RemoteActor(Actor(n), "Person", $"u{n}", null, Actor(n) + "/inbox", $"https://remote{n % 7}.example/inbox", null, null, null, null, null, DateTimeOffset.UtcNow);
            await RetriedAsync(() => followers.AddAsync(account.Id, actor, $"f{n}", CancellationToken.None));
        });

        Assert.AreEqual(Follows, (await core.Get<AccountStore>().GetByIdAsync(account.Id, CancellationToken.None))!.FollowersCount);
        var (targets, _) = await followers.Inboxes.GetPageAsync(account.Id, "0", "g", null, cancellationToken: CancellationToken.None);
        Assert.HasCount(7, targets, "one row per server");

        // One follower fewer on a server keeps its inbox; the last one takes it.
        Assert.IsTrue(await followers.RemoveAsync(account.Id, Actor(0), CancellationToken.None));
        Assert.HasCount(7, (await followers.Inboxes.GetPageAsync(account.Id, "0", "g", null, cancellationToken: CancellationToken.None)).Targets);
        foreach (var n in Enumerable.Range(1, Follows - 1).Where(n => n % 7 == 0))
        {
            Assert.IsTrue(await followers.RemoveAsync(account.Id, Actor(n), CancellationToken.None));
        }

        Assert.HasCount(6, (await followers.Inboxes.GetPageAsync(account.Id, "0", "g", null, cancellationToken: CancellationToken.None)).Targets);
        Assert.AreEqual(Follows - 15, (await core.Get<AccountStore>().GetByIdAsync(account.Id, CancellationToken.None))!.FollowersCount);
    }

    [TestMethod]
    [DataRow(InteractionKind.Favourite)]
    [DataRow(InteractionKind.Reblog)]
    public async Task A_local_favourite_or_boost_whose_request_died_before_its_count_is_counted_notified_and_copied_by_its_queue_message(InteractionKind kind)
    {
        await using var core = new FaultyCore();
        var (author, status) = await core.PostAsync();
        var (fan, _) = await core.PostAsync();

        // The request records the favourite or boost and sends its queue message (the boost's: its Announce's first
        // fan-out message), then dies at the count's transaction.
        core.Faults.Fail(r => r.StartsWith("POST /$batch", StringComparison.Ordinal), times: 1, status: 400);
        await Assert.ThrowsAsync<RequestFailedException>(() => InteractAsync(core, kind, fan, status.Id));
        Assert.AreEqual(0, await StoredCountAsync(core, kind, status.Id));

        var message = await QueuedAsync(core, kind);
        await message.RunAsync(core);
        await message.RunAsync(core);
        var again = await InteractAsync(core, kind, fan, status.Id);

        Assert.AreEqual(1, again.Count, "the repeated favourite or boost answers the count");
        Assert.AreEqual(1, await StoredCountAsync(core, kind, status.Id), "counted once");
        Assert.AreEqual(1, await CopiedCountAsync(core, kind, author.Id), "the author's list of statuses");
        Assert.AreEqual(1, await core.NotificationsAsync(author.Id), "notified once");
        Assert.HasCount(1, await core.Get<InteractionStore>().ListActorsAsync(kind, status.Id, 10, CancellationToken.None));
    }

    [TestMethod]
    [DataRow(InteractionKind.Favourite)]
    [DataRow(InteractionKind.Reblog)]
    public async Task A_local_favourite_or_boost_is_counted_in_the_request_and_its_queue_message_counts_nothing_more(InteractionKind kind)
    {
        await using var core = new FaultyCore();
        var (author, status) = await core.PostAsync();
        var (fan, _) = await core.PostAsync();

        var answered = await InteractAsync(core, kind, fan, status.Id);
        Assert.AreEqual(1, answered.Count);
        Assert.AreEqual(1, await StoredCountAsync(core, kind, status.Id), "stored in the request");
        Assert.AreEqual(0, await core.NotificationsAsync(author.Id), "the notification is the queue message's");
        Assert.AreEqual(0, core.Faults.Count(r => r.Contains("pending-", StringComparison.Ordinal)), "nothing waited: no pending row");

        var message = await QueuedAsync(core, kind);
        await message.RunAsync(core);
        if (message.Boost is { } boost)
        {
            // The Announce's fan-out message names the boost's Announce; its later pages apply nothing.
            Assert.AreEqual(answered.AnnounceId, boost.Boost!.AnnounceId);
            await core.Get<FanoutProcessor>().ProcessAsync(boost with { Page = 1 }, CancellationToken.None);
        }

        Assert.AreEqual(1, await StoredCountAsync(core, kind, status.Id));
        Assert.AreEqual(1, await CopiedCountAsync(core, kind, author.Id), "copied by the queue");
        Assert.AreEqual(1, await core.NotificationsAsync(author.Id));
    }

    [TestMethod]
    [DataRow(InteractionKind.Favourite)]
    [DataRow(InteractionKind.Reblog)]
    public async Task A_local_favourite_or_boost_whose_queue_message_runs_before_the_request_counts_is_counted_once_and_copied(InteractionKind kind)
    {
        await using var core = new FaultyCore();
        var (author, status) = await core.PostAsync();
        var (fan, _) = await core.PostAsync();
        var statusesTable = core.Get<FediTables>().PhysicalName(StorageNames.StatusesTable);

        // The request dies at its count, leaving the message; the message finds it not counted, and the request's retry
        // counts it just before the message writes its pending row.
        core.Faults.Fail(r => r.StartsWith("POST /$batch", StringComparison.Ordinal), times: 1, status: 400);
        await Assert.ThrowsAsync<RequestFailedException>(() => InteractAsync(core, kind, fan, status.Id));
        var message = await QueuedAsync(core, kind);
        core.Faults.Before(r => r.StartsWith("PUT /" + statusesTable, StringComparison.Ordinal) && r.Contains("pending-", StringComparison.Ordinal),
            async () => Assert.AreEqual(1, (await InteractAsync(core, kind, fan, status.Id)).Count));
        await message.RunAsync(core);

        Assert.AreEqual(1, await StoredCountAsync(core, kind, status.Id), "counted once");
        Assert.AreEqual(1, await CopiedCountAsync(core, kind, author.Id), "the author's list of statuses");
        Assert.AreEqual(1, await core.NotificationsAsync(author.Id), "notified once");
    }

    [TestMethod]
    public async Task A_local_favourite_and_boost_leave_the_request_audit_row_to_their_queue_messages_which_record_it_once()
    {
        await using var core = new FaultyCore();
        var (_, status) = await core.PostAsync();
        var (fan, _) = await core.PostAsync();
        var interactions = core.Get<StatusInteractions>();
        var audits = core.Get<AuditStore>();
        PendingAudit Audit(string action) => audits.Prepare(fan.Id, "pressestelle", "Tusky", action, null);

        // Both requests die at their counts, after their messages were sent: the rows are the messages'.
        core.Faults.Fail(r => r.StartsWith("POST /$batch", StringComparison.Ordinal), times: 2, status: 400);
        await Assert.ThrowsAsync<RequestFailedException>(() => interactions.FavouriteAsync(fan, status.Id, CancellationToken.None, Audit("POST /api/v1/statuses/:id/favourite")));
        await Assert.ThrowsAsync<RequestFailedException>(() => interactions.ReblogAsync(fan, status.Id, CancellationToken.None, Audit("POST /api/v1/statuses/:id/reblog")));
        Assert.IsEmpty(await AuditOfAsync(core, fan.Id), "nothing recorded in the requests");

        var queued = await FanoutBodiesAsync(core);
        var favourite = queued.Select(FavouriteMessage.TryParse).OfType<FavouriteMessage>().Single();
        var boost = Boosts(queued).Single();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await core.Get<InteractionEffects>().ApplyFavouriteAsync(favourite, CancellationToken.None);
            await core.Get<InteractionEffects>().ApplyBoostAsync(boost, CancellationToken.None);
        }

        var rows = await AuditOfAsync(core, fan.Id);
        CollectionAssert.AreEqual(new[] { "POST /api/v1/statuses/:id/reblog", "POST /api/v1/statuses/:id/favourite" }, rows.Select(r => r.Action).ToArray(), "each once, newest first");
        Assert.AreEqual(status.Id, rows[1].ObjectId, "the favourite names the status its answer shows");
        Assert.AreEqual(ReblogResult.WrapperId(boost.Boost!.Audit!.Entry.At, boost.Boost.AnnounceId), rows[0].ObjectId, "the boost names its answer's wrapper");
        Assert.IsTrue(rows.All(r => r.Staff == "pressestelle" && r.Application == "Tusky"));

        // Repeats send no message: their rows are the requests' own.
        Assert.IsFalse((await interactions.FavouriteAsync(fan, status.Id, CancellationToken.None, Audit("POST /api/v1/statuses/:id/favourite"))).AuditQueued);
        Assert.IsFalse((await interactions.ReblogAsync(fan, status.Id, CancellationToken.None, Audit("POST /api/v1/statuses/:id/reblog"))).Result.AuditQueued);
    }

    [TestMethod]
    public async Task An_unfavourite_and_a_reblog_and_its_undo_count_on_the_status_read_in_the_request()
    {
        await using var core = new FaultyCore();
        var (author, status) = await core.PostAsync();
        var (fan, _) = await core.PostAsync();
        var interactions = core.Get<StatusInteractions>();
        await interactions.FavouriteAsync(fan, status.Id, CancellationToken.None);
        core.Faults.Attempts.Clear();

        Assert.AreEqual(0, (await interactions.UnfavouriteAsync(fan, status.Id, CancellationToken.None)).Status!.FavouritesCount);
        Assert.AreEqual(1, (await interactions.ReblogAsync(fan, status.Id, CancellationToken.None)).Result.Status!.ReblogsCount);
        Assert.AreEqual(0, (await interactions.UnreblogAsync(fan, status.Id, CancellationToken.None)).Status!.ReblogsCount);
        Assert.AreEqual(1, (await interactions.ReblogAsync(fan, status.Id, CancellationToken.None)).Result.Status!.ReblogsCount);
        Assert.AreEqual(0, (await interactions.UnfavouriteAsync(fan, status.Id, CancellationToken.None)).Status!.FavouritesCount, "a repeat changes nothing");

        Assert.AreEqual(0, core.Faults.Count(r => r.Contains("pending-", StringComparison.Ordinal)), "nothing waited: no pending row");
        var stored = await core.Get<StatusStore>().GetAsync(status.Id, CancellationToken.None);
        Assert.AreEqual((0, 1), (stored!.FavouritesCount, stored.ReblogsCount));

        // The boosts' fan-out messages copy the counts to the author's list (the undo copies in its request).
        foreach (var boost in await BoostMessagesAsync(core))
        {
            await core.Get<InteractionEffects>().ApplyBoostAsync(boost, CancellationToken.None);
        }
        var copy = (await core.Get<StatusStore>().GetAccountStatusesAsync(author.Id, null, 5, CancellationToken.None)).Single();
        Assert.AreEqual((0, 1), (copy.FavouritesCount, copy.ReblogsCount), "the author's list of statuses");
    }

    [TestMethod]
    public async Task A_local_favourite_applies_the_counts_that_wait_in_pending_rows()
    {
        await using var core = new FaultyCore();
        var (_, status) = await core.PostAsync();
        var (fan, _) = await core.PostAsync();
        var interactions = core.Get<StatusInteractions>();

        // A remote Like whose one-transaction count (its second batch; the first is the notification) lost to another
        // writer, and whose count then stopped after its pending row was written (its third batch fails).
        var (seen, failed) = (0, 0);
        core.Faults.Before(r => r.StartsWith("POST /$batch", StringComparison.Ordinal) && Interlocked.Increment(ref seen) == 2,
            () => core.Get<StatusStore>().AdjustCountsAsync(status.Id, replies: 0, cancellationToken: CancellationToken.None));
        core.Faults.Fail(r => r.StartsWith("POST /$batch", StringComparison.Ordinal) && Interlocked.Increment(ref failed) == 3, times: 1, status: 400);
        await Assert.ThrowsAsync<RequestFailedException>(() => interactions.ReceiveAsync(InteractionKind.Favourite, status, Actor(1), Actor(1) + "#like", CancellationToken.None));
        core.Faults.Clear();
        Assert.AreEqual(1, core.Faults.Count(r => r.Contains("pending-", StringComparison.Ordinal)), "its pending row was written");
        Assert.AreEqual(0, (await core.Get<StatusStore>().GetAsync(status.Id, CancellationToken.None))!.FavouritesCount, "and waits");

        Assert.AreEqual(2, (await interactions.FavouriteAsync(fan, status.Id, CancellationToken.None)).Status!.FavouritesCount);
        await interactions.ReceiveAsync(InteractionKind.Favourite, status, Actor(1), Actor(1) + "#like", CancellationToken.None);

        Assert.AreEqual(2, (await core.Get<StatusStore>().GetAsync(status.Id, CancellationToken.None))!.FavouritesCount, "each counted once");
    }

    [TestMethod]
    public async Task A_post_counts_on_the_account_row_its_request_read()
    {
        await using var core = new FaultyCore();
        var (author, _) = await core.PostAsync();
        var read = await core.Get<AccountStore>().GetByIdAsync(author.Id, CancellationToken.None);
        var accountsTable = core.Get<FediTables>().PhysicalName(StorageNames.AccountsTable);
        core.Faults.Attempts.Clear();

        await core.Get<StatusService>().CreateAsync(read!, new NewStatus("Ferry timetable for the holidays."), CancellationToken.None);

        Assert.AreEqual(0, core.Faults.Count(r => r.StartsWith("GET /" + accountsTable, StringComparison.Ordinal)), "the counter merged on the row read, not read again");
        Assert.AreEqual(1, (await core.Get<AccountStore>().GetByIdAsync(author.Id, CancellationToken.None))!.StatusesCount);
    }

    [TestMethod]
    public async Task A_post_by_an_account_whose_row_changed_since_it_was_read_keeps_both_counts()
    {
        await using var core = new FaultyCore();
        var (author, _) = await core.PostAsync();
        var accounts = core.Get<AccountStore>();
        var read = await accounts.GetByIdAsync(author.Id, CancellationToken.None);
        await accounts.AdjustCountersAsync(author.Id, followers: +1, cancellationToken: CancellationToken.None);

        await core.Get<StatusService>().CreateAsync(read!, new NewStatus("Bridge closed tonight."), CancellationToken.None);

        var stored = await accounts.GetByIdAsync(author.Id, CancellationToken.None);
        Assert.AreEqual(1, stored!.StatusesCount);
        Assert.AreEqual(1, stored.FollowersCount, "the follower counted meanwhile stays");
    }

    private static async Task<FavouriteMessage> FavouriteMessageAsync(FaultyCore core) =>
        (await FanoutBodiesAsync(core)).Select(FavouriteMessage.TryParse).OfType<FavouriteMessage>().Single();

    /// <summary>A local favourite or boost through its request: the count its answer shows, and the boost's Announce id.</summary>
    private static async Task<(long Count, string? AnnounceId)> InteractAsync(FaultyCore core, InteractionKind kind, LocalAccount fan, string statusId)
    {
        var interactions = core.Get<StatusInteractions>();
        if (kind == InteractionKind.Favourite)
        {
            return ((await interactions.FavouriteAsync(fan, statusId, CancellationToken.None)).Status!.FavouritesCount, null);
        }

        var boosted = await interactions.ReblogAsync(fan, statusId, CancellationToken.None);
        return (boosted.Result.Status!.ReblogsCount, boosted.AnnounceId);
    }

    private static long CountOf(InteractionKind kind, Status status) => kind == InteractionKind.Favourite ? status.FavouritesCount : status.ReblogsCount;

    private static async Task<long> StoredCountAsync(FaultyCore core, InteractionKind kind, string statusId) =>
        CountOf(kind, (await core.Get<StatusStore>().GetAsync(statusId, CancellationToken.None))!);

    /// <summary>The count on the author's list of statuses (the copy the queue message keeps).</summary>
    private static async Task<long> CopiedCountAsync(FaultyCore core, InteractionKind kind, string authorId) =>
        CountOf(kind, (await core.Get<StatusStore>().GetAccountStatusesAsync(authorId, null, 5, CancellationToken.None)).Single());

    /// <summary>The one message a favourite or boost left on the fan-out queue (taken off it).</summary>
    private static async Task<Queued> QueuedAsync(FaultyCore core, InteractionKind kind) =>
        kind == InteractionKind.Favourite ? new Queued(await FavouriteMessageAsync(core), null) : new Queued(null, await BoostMessageAsync(core));

    /// <summary>A favourite's message or a boost's Announce fan-out message, run as the fan-out queue function runs it.</summary>
    private sealed record Queued(FavouriteMessage? Favourite, FanoutMessage? Boost)
    {
        public Task RunAsync(FaultyCore core) => Favourite is not null
            ? core.Get<InteractionEffects>().ApplyFavouriteAsync(Favourite, CancellationToken.None)
            : core.Get<FanoutProcessor>().ProcessAsync(Boost!, CancellationToken.None);
    }


    /// <summary>The messages waiting on the fan-out queue (taken off it).</summary>
    private static async Task<List<string>> FanoutBodiesAsync(FaultyCore core)
    {
        var queue = core.Get<StorageAccount>().Queues.GetQueueClient(core.Get<WorkQueue>().Names.Fanout);
        return [.. (await queue.ReceiveMessagesAsync(32)).Value.Select(m => m.Body.ToString())];
    }

    private static async Task<List<AuditEntry>> AuditOfAsync(FaultyCore core, string accountId)
    {
        var rows = new List<AuditEntry>();
        await foreach (var row in core.Get<AuditStore>().ListAsync(accountId))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The one boost's Announce fan-out message waiting on the fan-out queue (taken off it).</summary>
    private static async Task<FanoutMessage> BoostMessageAsync(FaultyCore core) => (await BoostMessagesAsync(core)).Single();

    /// <summary>The boosts' Announce fan-out messages waiting on the fan-out queue, oldest first (taken off it).</summary>
    private static async Task<List<FanoutMessage>> BoostMessagesAsync(FaultyCore core) => Boosts(await FanoutBodiesAsync(core));

    private static List<FanoutMessage> Boosts(IEnumerable<string> bodies) =>
        [.. bodies.Where(m => FavouriteMessage.TryParse(m) is null)
            .Select(m => System.Text.Json.JsonSerializer.Deserialize(m, QueueJsonContext.Default.FanoutMessage)).Where(m => m?.Boost is not null).Select(m => m!)];
}
