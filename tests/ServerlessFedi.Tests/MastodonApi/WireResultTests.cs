using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Entities;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary><see cref="WireResult"/>'s JSON answers: written from a pooled buffer, byte for byte what the serializer makes.</summary>
[TestClass]
public sealed class WireResultTests
{
    private static readonly string[] Awkward = ["<b>Council & \"citizens\"</b>", "Straße + café 👋", "line\nbreak\ttab", "\u2028\u0000</script>"];

    [TestMethod]
    public async Task A_json_answer_is_written_as_the_serializer_makes_it_with_its_length()
    {
        var tags = Awkward.ToList();

        foreach (var (result, expected) in new[]
        {
            (WireResult.Json(200, tags, MastodonJsonContext.Wire.IReadOnlyListString), JsonSerializer.SerializeToUtf8Bytes<IReadOnlyList<string>>(tags, MastodonJsonContext.Wire.IReadOnlyListString)),
            (WireResult.Json(200, new UnreadCount(7), MastodonJsonContext.Wire.UnreadCount), JsonSerializer.SerializeToUtf8Bytes(new UnreadCount(7), MastodonJsonContext.Wire.UnreadCount)),
        })
        {
            var (status, length, body) = await ExecuteAsync(result, "GET");

            Assert.AreEqual(200, status);
            Assert.AreEqual(expected.Length, length);
            CollectionAssert.AreEqual(expected, body, Encoding.UTF8.GetString(body));
            CollectionAssert.AreEqual(expected, result.Body, "the body asked for afterwards is the same bytes");
        }

        StringAssert.Contains(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes<IReadOnlyList<string>>(tags, MastodonJsonContext.Wire.IReadOnlyListString)), "<b>Council &", "relaxed escaping, as the API writes it");
    }

    [TestMethod]
    public async Task A_head_request_gets_the_length_and_no_body()
    {
        var result = WireResult.Json(200, Awkward.ToList(), MastodonJsonContext.Wire.IReadOnlyListString);

        var (status, length, body) = await ExecuteAsync(result, "HEAD");

        Assert.AreEqual(200, status);
        Assert.AreEqual(JsonSerializer.SerializeToUtf8Bytes<IReadOnlyList<string>>(Awkward.ToList(), MastodonJsonContext.Wire.IReadOnlyListString).Length, length);
        Assert.AreEqual(0, body.Length);
    }

    [TestMethod]
    public async Task A_large_answer_is_written_without_an_array_of_its_size()
    {
        // 40 notifications with their statuses are about 100 KB: an array of that size per request is a large-object-heap allocation.
        var big = Enumerable.Range(0, 4_000).Select(i => $"status {i} of a long page, with text enough to be counted").ToList();
        var size = JsonSerializer.SerializeToUtf8Bytes<IReadOnlyList<string>>(big, MastodonJsonContext.Wire.IReadOnlyListString).Length;
        Assert.IsGreaterThan(200_000, size);
        await ExecuteAsync(WireResult.Json(200, big, MastodonJsonContext.Wire.IReadOnlyListString), "GET", discard: true); // rents the pool's arrays once

        var before = GC.GetAllocatedBytesForCurrentThread();
        await ExecuteAsync(WireResult.Json(200, big, MastodonJsonContext.Wire.IReadOnlyListString), "GET", discard: true);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.IsLessThan(size / 10, allocated, $"{allocated} bytes allocated for a {size}-byte answer");
    }

    private static async Task<(int Status, long? Length, byte[] Body)> ExecuteAsync(WireResult result, string method, bool discard = false)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        using var body = discard ? Stream.Null : new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, context.Response.ContentLength, body is MemoryStream m ? m.ToArray() : []);
    }
}
