using System.Globalization;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Tests.Storage;

[TestClass]
public sealed class StorageKeysTests
{
    private static readonly char[] Forbidden = ['/', '\\', '#', '?'];

    [TestMethod]
    public void Escape_removes_every_character_azure_tables_forbid()
    {
        var everything = string.Concat(Enumerable.Range(0, 0x100).Select(c => (char)c)) + "a/b\\c#d?e\u2028\uFFFF";

        var escaped = StorageKeys.Escape(everything);

        Assert.AreEqual(-1, escaped.IndexOfAny(Forbidden), escaped);
        Assert.IsFalse(escaped.Any(char.IsControl), "a control character is left");
    }

    [TestMethod]
    [DataRow("a/b", "a%2Fb")]
    [DataRow("a\\b", "a%5Cb")]
    [DataRow("#tag", "%23tag")]
    [DataRow("why?", "why%3F")]
    [DataRow("100%", "100%25")]
    [DataRow("line\nbreak", "line%0Abreak")]
    [DataRow("nul\0", "nul%00")]
    [DataRow("del\u007f", "del%7F")]
    [DataRow("c1\u0085", "c1%85")]
    public void Escape_percent_encodes_forbidden_characters(string value, string expected)
    {
        Assert.AreEqual(expected, StorageKeys.Escape(value));
    }

    [TestMethod]
    [DataRow("alice@example.gov")]
    [DataRow("Grüße_ünd-spaces ok")]
    [DataRow("")]
    public void Escape_keeps_allowed_characters(string value)
    {
        Assert.AreEqual(value, StorageKeys.Escape(value));
    }

    [TestMethod]
    [DataRow("a%2Fb", "a/b")]
    [DataRow("%", "%25")]
    [DataRow("%25", "%2525")]
    [DataRow("#", "%23")]
    [DataRow("\n", "%0A")]
    [DataRow("a%5Cb", "a\\b")]
    [DataRow("?", "%3F")]
    public void Escape_keeps_tricky_pairs_apart(string first, string second)
    {
        Assert.AreNotEqual(StorageKeys.Escape(first), StorageKeys.Escape(second));
    }

    [TestMethod]
    public void Escape_is_injective_over_a_set_of_look_alikes()
    {
        string[] values = ["a/b", "a%2Fb", "a%2fb", "a%252Fb", "a\\b", "a%5Cb", "a#b", "a%23b", "a?b", "a%3Fb", "a%b", "a%25b", "a\tb", "a%09b", "ab", "a%%b"];

        var escaped = values.Select(StorageKeys.Escape).ToArray();

        Assert.HasCount(values.Length, escaped.Distinct(StringComparer.Ordinal).ToArray());
    }

    [TestMethod]
    public void Email_key_is_lower_cased_trimmed_and_escaped()
    {
        var (pk, rk) = StorageKeys.Email("  Bob/Smith#1@Example.TEST ");

        Assert.AreEqual(StorageKeys.EmailPartition, pk);
        Assert.AreEqual("bob%2Fsmith%231@example.test", rk);
    }

    [TestMethod]
    public void Username_key_is_lower_cased()
    {
        Assert.AreEqual((StorageKeys.UsernamePartition, "alice"), StorageKeys.Username("ALICE"));
    }

    [TestMethod]
    public void Descending_reverses_the_order_of_ids()
    {
        var ids = new[] { 109876543210987654L, 109876543210987655L, 111111111111111111L, 1L, 0L, 999_999_999_999_999_999L, 5_000_000_000_000_000L }
            .Select(i => i.ToString("D18", CultureInfo.InvariantCulture))
            .ToArray();
        var ascending = ids.Order(StringComparer.Ordinal).ToArray();

        var descendingKeys = ascending.Select(StorageKeys.Descending).ToArray();

        CollectionAssert.AreEqual(Enumerable.Reverse(descendingKeys).ToArray(), descendingKeys.Order(StringComparer.Ordinal).ToArray());
        Assert.IsTrue(descendingKeys.All(SnowflakeIds.IsValid));
    }

    [TestMethod]
    public void Descending_of_generated_ids_sorts_newest_first()
    {
        var ids = new SnowflakeIds(TimeProvider.System);
        var made = Enumerable.Range(0, 500).Select(_ => ids.Next()).ToArray();

        var newestFirst = made.OrderBy(StorageKeys.Descending, StringComparer.Ordinal).ToArray();

        CollectionAssert.AreEqual(Enumerable.Reverse(made).ToArray(), newestFirst);
    }

    [TestMethod]
    public void Descending_of_the_extremes()
    {
        Assert.AreEqual("999999999999999999", StorageKeys.Descending("000000000000000000"));
        Assert.AreEqual("000000000000000000", StorageKeys.Descending("999999999999999999"));
        Assert.AreEqual("890123456789012345", StorageKeys.Descending("109876543210987654"));
    }
}
