using System.Net;
using System.Text.Json;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.NodeInfo;

[TestClass]
public sealed class NodeInfoTests
{
    [TestMethod]
    public async Task Discovery_links_both_versions_and_the_documents_count_real_users()
    {
        await using var instance = await TestInstance.StartAsync();
        await instance.CreateAccountAsync("alice");
        await instance.CreateAccountAsync("bob");
        await instance.CreateAccountAsync("carol");

        var links = JsonDocument.Parse(await instance.Http.GetStringAsync("/.well-known/nodeinfo")).RootElement.GetProperty("links").EnumerateArray()
            .ToDictionary(l => l.GetProperty("rel").GetString()!, l => l.GetProperty("href").GetString()!);

        Assert.AreEqual($"{instance.BaseUrl}/nodeinfo/2.0", links["http://nodeinfo.diaspora.software/ns/schema/2.0"]);
        Assert.AreEqual($"{instance.BaseUrl}/nodeinfo/2.1", links["http://nodeinfo.diaspora.software/ns/schema/2.1"]);
        foreach (var version in new[] { "2.0", "2.1" })
        {
            var response = await instance.Http.GetAsync($"/nodeinfo/{version}");
            var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            StringAssert.Contains(response.Content.Headers.ContentType!.ToString(), $"schema/{version}#");
            Assert.AreEqual(version, doc.GetProperty("version").GetString());
            Assert.AreEqual("serverlessfedi", doc.GetProperty("software").GetProperty("name").GetString());
            Assert.AreEqual("activitypub", doc.GetProperty("protocols")[0].GetString());
            Assert.IsFalse(doc.GetProperty("openRegistrations").GetBoolean());
            Assert.AreEqual(3, doc.GetProperty("usage").GetProperty("users").GetProperty("total").GetInt32());
            Assert.AreEqual(0, doc.GetProperty("usage").GetProperty("localPosts").GetInt32());
            Assert.AreEqual("Test Instance", doc.GetProperty("metadata").GetProperty("nodeName").GetString());
        }
    }

    [TestMethod]
    public async Task Unknown_versions_give_404()
    {
        await using var instance = await TestInstance.StartAsync();

        Assert.AreEqual(HttpStatusCode.NotFound, (await instance.Http.GetAsync("/nodeinfo/2.2")).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await instance.Http.GetAsync("/nodeinfo/1.0")).StatusCode);
    }
}
