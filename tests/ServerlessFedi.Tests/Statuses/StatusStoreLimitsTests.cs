using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Statuses;

/// <summary>
/// A status row holds HTML longer than one table property (32,768 characters) in parts of the same row, within what Azure
/// accepts however it counts (the table clients refuse what Azure refuses even on Azurite, <see cref="TableLimitsPolicy"/>,
/// and Azurite itself refuses a request body over 1 MiB, where every non-ASCII character is escaped to 6 bytes).
/// </summary>
[TestClass]
public sealed class StatusStoreLimitsTests
{
    private static StatusStore _store = null!;
    private static int _next;

    [ClassInitialize]
    public static void Start(TestContext _) => _store = new StatusStore(TestStorage.Services().Tables);

    [TestMethod]
    public async Task The_longest_content_is_stored_and_read_whole_even_with_surrogate_pairs_on_part_boundaries()
    {
        // "<p>x" puts the first part's last character on a high surrogate: a pair straddles the boundary.
        var html = "<p>x" + string.Concat(Enumerable.Repeat("🚧ü", (StatusEntity.MaxContentHtmlChars - 8) / 3)) + "</p>";
        Assert.IsTrue(char.IsHighSurrogate(html[TableLimits.MaxStringChars - 1]));
        Assert.IsLessThanOrEqualTo(StatusEntity.MaxContentHtmlChars, html.Length);
        var status = Status(html);

        await _store.AddAsync(status, CancellationToken.None);

        Assert.AreEqual(html, (await _store.GetAsync(status.Id, CancellationToken.None))!.ContentHtml);
    }

    [TestMethod]
    public async Task Content_longer_than_a_row_holds_is_refused_before_anything_is_written()
    {
        var status = Status(new string('x', StatusEntity.MaxContentHtmlChars + 1));

        await Assert.ThrowsAsync<ArgumentException>(() => _store.AddAsync(status, CancellationToken.None));

        Assert.IsNull(await _store.GetAsync(status.Id, CancellationToken.None));
    }

    private static Status Status(string html) => new()
    {
        Id = (110_000_000_000_000_000 + Interlocked.Increment(ref _next)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        AccountId = "1",
        Text = "",
        ContentHtml = html,
        CreatedAt = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero),
    };
}
