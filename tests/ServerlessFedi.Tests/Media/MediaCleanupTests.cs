using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Media;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Media;

/// <summary>The clean-up timer's work on real storage, with a fake clock: unattached uploads go after a day, attached ones stay.</summary>
[TestClass]
public sealed class MediaCleanupTests
{
    [TestMethod]
    public async Task Unattached_uploads_older_than_a_day_are_deleted_and_younger_or_attached_ones_stay()
    {
        var (time, s, account, store, service, cleanUp) = await ArrangeAsync();
        var statuses = new StatusStore(s.Tables);
        var photo = MediaFixtures.Read("photo.webp");

        var old = (await service.UploadAsync(account, photo, null, null, null, deferred: false, CancellationToken.None)).Media!;
        var attached = (await service.UploadAsync(account, photo, null, null, null, deferred: false, CancellationToken.None)).Media!;
        var (claimed, error) = await service.AttachAsync(account, [attached.Id], "117684648624352871", CancellationToken.None);
        Assert.IsNull(error);
        await statuses.AddAsync(new Status { Id = "117684648624352871", AccountId = account.Id, Text = "t", ContentHtml = "<p>t</p>", CreatedAt = time.GetUtcNow(), Media = claimed }, CancellationToken.None);
        await service.CompleteAttachAsync(claimed, CancellationToken.None);
        time.Advance(TimeSpan.FromHours(20));
        var young = (await service.UploadAsync(account, photo, null, null, null, deferred: false, CancellationToken.None)).Media!;
        time.Advance(TimeSpan.FromHours(5));

        var deleted = await cleanUp.CleanUpAsync(CancellationToken.None);

        Assert.AreEqual(1, deleted);
        Assert.IsNull(await store.GetAsync(account.Id, old.Id, CancellationToken.None));
        Assert.IsNull(await store.DownloadAsync(old.OriginalBlob, CancellationToken.None));
        Assert.IsNull(await store.DownloadAsync(old.SmallBlob, CancellationToken.None));
        Assert.IsNotNull(await store.GetAsync(account.Id, young.Id, CancellationToken.None));
        Assert.IsNotNull(await store.DownloadAsync(attached.OriginalBlob, CancellationToken.None));
        Assert.AreEqual(0, await cleanUp.CleanUpAsync(CancellationToken.None), "a second run finds nothing");
    }

    [TestMethod]
    public async Task Media_a_deleted_status_left_for_a_redraft_stay_a_day_from_the_deletion_then_go()
    {
        var (time, s, account, store, service, cleanUp) = await ArrangeAsync();
        var statuses = new StatusStore(s.Tables);
        var media = (await service.UploadAsync(account, MediaFixtures.Read("photo.webp"), null, null, null, deferred: false, CancellationToken.None)).Media!;
        var (claimed, _) = await service.AttachAsync(account, [media.Id], "117684648624352871", CancellationToken.None);
        var status = new Status { Id = "117684648624352871", AccountId = account.Id, Text = "t", ContentHtml = "<p>t</p>", CreatedAt = time.GetUtcNow(), Media = claimed };
        await statuses.AddAsync(status, CancellationToken.None);
        await service.CompleteAttachAsync(claimed, CancellationToken.None);
        time.Advance(TimeSpan.FromDays(3));
        await statuses.MarkDeletedAsync(status, time.GetUtcNow(), CancellationToken.None);
        await service.KeepForRedraftAsync(status, claimed, CancellationToken.None);
        time.Advance(TimeSpan.FromHours(23));

        Assert.AreEqual(0, await cleanUp.CleanUpAsync(CancellationToken.None), "uploaded three days ago, but left for a redraft 23 hours ago");
        Assert.IsNotNull(await store.DownloadAsync(media.OriginalBlob, CancellationToken.None));
        time.Advance(TimeSpan.FromHours(2));
        Assert.AreEqual(1, await cleanUp.CleanUpAsync(CancellationToken.None));
        Assert.IsNull(await store.GetAsync(account.Id, media.Id, CancellationToken.None));
        Assert.IsNull(await store.DownloadAsync(media.OriginalBlob, CancellationToken.None));
    }

    [TestMethod]
    public async Task A_claimed_upload_whose_status_was_never_stored_is_deleted()
    {
        var (time, _, account, store, service, cleanUp) = await ArrangeAsync();
        var media = (await service.UploadAsync(account, MediaFixtures.Read("photo.webp"), null, null, null, deferred: false, CancellationToken.None)).Media!;
        await service.AttachAsync(account, [media.Id], "117684648624352871", CancellationToken.None);
        time.Advance(TimeSpan.FromDays(2));

        Assert.AreEqual(1, await cleanUp.CleanUpAsync(CancellationToken.None));
        Assert.IsNull(await store.DownloadAsync(media.OriginalBlob, CancellationToken.None));
    }

    [TestMethod]
    public async Task A_queued_clip_never_processed_is_deleted_with_the_file_as_received()
    {
        var (time, _, account, store, service, cleanUp) = await ArrangeAsync();
        var media = (await service.UploadAsync(account, MediaFixtures.Read("opus.ogg"), null, null, null, deferred: true, CancellationToken.None)).Media!;
        Assert.AreEqual(MediaProcessingState.Queued, media.Processing);
        Assert.IsNotNull(await store.DownloadUploadAsync(media.Id, CancellationToken.None));
        time.Advance(TimeSpan.FromDays(2));

        Assert.AreEqual(1, await cleanUp.CleanUpAsync(CancellationToken.None));

        Assert.IsNull(await store.DownloadUploadAsync(media.Id, CancellationToken.None));
        Assert.IsNull(await store.DownloadAsync(media.SmallBlob, CancellationToken.None));
        Assert.IsNull(await store.GetAsync(account.Id, media.Id, CancellationToken.None));
    }

    /// <summary>A fake clock, fresh storage, an account and the media service over them.</summary>
    private static async Task<(FakeTimeProvider Time, TestServices Services, LocalAccount Account, MediaStore Store, MediaService Service, MediaCleanUp CleanUp)> ArrangeAsync()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        var s = TestStorage.Services(time);
        var account = (await s.Accounts.CreateAsync(new NewAccount("alice", "Correct-Horse-42-battery", "Alice", null, ActorType.Person))).Account!;
        var store = new MediaStore(s.Tables, s.Account, s.Options);
        var queue = new WorkQueue(s.Account, FederationQueues.FromConfiguration(s.Configuration));
        var statuses = new StatusStore(s.Tables);
        var scheduled = new ScheduledStatusStore(s.Tables);
        return (time, s, account, store, new MediaService(store, new SnowflakeIds(time), queue, time),
            new MediaCleanUp(store, statuses, scheduled, time, NullLogger<MediaCleanUp>.Instance));
    }
}
