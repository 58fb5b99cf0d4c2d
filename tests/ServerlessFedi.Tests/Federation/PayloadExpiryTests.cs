using ServerlessFedi.Federation;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Issue 17, item 8: payload blobs expire after <see cref="PayloadStore.Retention"/>. On Azure a lifecycle rule deletes them;
/// Azurite has no lifecycle management, so the app's daily clean-up does (and finds little left on Azure).
/// </summary>
[TestClass]
public sealed class PayloadExpiryTests
{
    [TestMethod]
    public async Task Payloads_older_than_the_retention_are_deleted_and_younger_ones_stay()
    {
        var services = TestStorage.Services();
        var payloads = new PayloadStore(services.Account, services.Options, TimeProvider.System);
        var (_, first) = await payloads.StoreAsync("{\"big\":\"" + new string('a', PayloadStore.InlineLimitBytes) + "\"}", CancellationToken.None);
        var (_, second) = await payloads.StoreAsync("{\"big\":\"" + new string('b', PayloadStore.InlineLimitBytes) + "\"}", CancellationToken.None);
        var now = DateTimeOffset.UtcNow; // blob times are the storage service's clock

        Assert.AreEqual(0, await payloads.DeleteExpiredAsync(now + PayloadStore.Retention - TimeSpan.FromHours(1), CancellationToken.None));
        Assert.IsNotNull(await payloads.LoadAsync(null, first, CancellationToken.None));

        Assert.AreEqual(2, await payloads.DeleteExpiredAsync(now + PayloadStore.Retention + TimeSpan.FromHours(1), CancellationToken.None));
        var gone = await Assert.ThrowsExactlyAsync<Azure.RequestFailedException>(() => payloads.LoadAsync(null, second, CancellationToken.None));
        Assert.AreEqual(404, gone.Status);

        await services.Account.Blobs.GetBlobContainerClient(StorageNames.Queue(services.Prefix, StorageNames.PayloadsContainer)).DeleteIfExistsAsync();
    }
}
