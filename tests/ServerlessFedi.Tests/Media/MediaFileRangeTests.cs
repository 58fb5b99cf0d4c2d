using ServerlessFedi.Media;

namespace ServerlessFedi.Tests.Media;

/// <summary>The byte ranges the media route answers (RFC 9110 14.1.2), and the ones it answers with the whole file.</summary>
[TestClass]
public sealed class MediaFileRangeTests
{
    [TestMethod]
    [DataRow("bytes=0-99", 0L, 100L)]
    [DataRow("bytes=100-", 100L, (long)MediaFileHandler.MaxRangeBytes)]
    [DataRow("bytes=-500", -500L, 500L)]
    [DataRow("bytes=0-999999999", 0L, (long)MediaFileHandler.MaxRangeBytes)]
    [DataRow("BYTES= 5 - 9", 5L, 5L)]
    public void A_single_range_is_read_and_bounded(string header, long offset, long length) =>
        Assert.AreEqual((offset, length), MediaFileHandler.ParseRange(header));

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("bytes=0-1,5-9")]
    [DataRow("bytes=9-5")]
    [DataRow("bytes=-0")]
    [DataRow("bytes=a-b")]
    [DataRow("items=0-9")]
    [DataRow("bytes=-")]
    public void Anything_else_means_the_whole_file(string? header) => Assert.IsNull(MediaFileHandler.ParseRange(header));
}
