using ServerlessFedi.Content;

namespace ServerlessFedi.Tests.Content;

/// <summary>The length Mastodon's StatusLengthValidator checks against the limit.</summary>
[TestClass]
public sealed class CharacterCountTests
{
    [TestMethod]
    [DataRow("hello", 5)]
    [DataRow("  padded \n", 6)]
    [DataRow("", 0)]
    [DataRow(" \n\t", 0)]
    [DataRow("see https://example.com/", 27)]
    [DataRow("https://example.com/page.", 24)]
    [DataRow("@alice@very.long.domain.example", 6)]
    [DataRow("@alice@very.long.domain.example hi", 9)]
    [DataRow("@alice hi", 9)]
    [DataRow("mail alice@very.long.domain.example", 35)]
    [DataRow("#Bürgerbeteiligung", 18)]
    [DataRow("line\r\nbreak", 10)]
    public void Counts_like_mastodon(string text, int expected)
    {
        Assert.AreEqual(expected, StatusFormatter.CountCharacters(text));
    }

    [TestMethod]
    public void A_very_long_url_counts_twenty_three()
    {
        var url = "https://example.com/" + new string('a', 580);

        Assert.AreEqual(600, url.Length);
        Assert.AreEqual(StatusFormatter.CharactersReservedPerUrl, StatusFormatter.CountCharacters(url));
        Assert.AreEqual(23, StatusFormatter.CountCharacters(url));
    }

    [TestMethod]
    public void A_short_url_also_counts_twenty_three()
    {
        Assert.AreEqual(23, StatusFormatter.CountCharacters("http://a.io"));
    }

    [TestMethod]
    [DataRow("👨‍👩‍👧", 1)]
    [DataRow("🇩🇪🇫🇷", 2)]
    [DataRow("e\u0301", 1)]
    [DataRow("😀😀", 2)]
    [DataRow("日本語", 3)]
    public void User_perceived_characters_count_once(string text, int expected)
    {
        Assert.AreEqual(expected, StatusFormatter.CountCharacters(text));
    }

    [TestMethod]
    public void The_content_warning_counts_too()
    {
        Assert.AreEqual(2 + 23, StatusFormatter.CountCharacters("https://example.com/long/path", " cw "));
    }

    [TestMethod]
    public void Five_hundred_letters_count_five_hundred()
    {
        Assert.AreEqual(500, StatusFormatter.CountCharacters(new string('x', 500)));
    }
}
