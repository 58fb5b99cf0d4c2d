using ServerlessFedi.Configuration;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Media;

/// <summary>Where media URLs point (<c>Fedi__MediaBaseUrl</c>), and how the clean-up timer and the media queue are declared for the host.</summary>
[TestClass]
public sealed class MediaConfigurationTests
{
    [TestMethod]
    public void Without_a_media_base_url_the_app_serves_media_under_its_own_origin()
    {
        var urls = new InstanceUrls(new FediOptions { BaseUrl = "https://social.example.gov" });

        Assert.AreEqual("https://social.example.gov/media/1/t/original.jpg", urls.Media("1/t/original.jpg"));
    }

    [TestMethod]
    [DataRow("https://media.example.gov", "https://media.example.gov/1/t/original.jpg")]
    [DataRow("https://stsfedi.blob.core.windows.net/media/", "https://stsfedi.blob.core.windows.net/media/1/t/original.jpg")]
    public void A_media_base_url_is_the_prefix_of_every_media_url(string mediaBaseUrl, string expected)
    {
        var urls = new InstanceUrls(new FediOptions { BaseUrl = "https://social.example.gov", MediaBaseUrl = mediaBaseUrl });

        Assert.AreEqual(expected, urls.Media("1/t/original.jpg"));
    }

    [TestMethod]
    [DataRow("media.example.gov")]
    [DataRow("ftp://media.example.gov")]
    [DataRow("http://media.example.gov")]
    [DataRow("https://media.example.gov/?sig=x")]
    [DataRow("https://user:secret@media.example.gov")]
    public void A_media_base_url_that_is_not_a_plain_https_url_is_refused(string mediaBaseUrl)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = "https://social.example.gov", MediaBaseUrl = mediaBaseUrl });

        Assert.HasCount(1, errors, string.Join("; ", errors));
        Assert.Contains("Fedi__MediaBaseUrl", errors[0]);
    }

    [TestMethod]
    public void The_clean_up_is_an_hourly_timer_without_app_settings_in_its_schedule()
    {
        var function = FunctionsApp.Metadata.Single(f => f.Name == "MediaCleanup");

        Assert.AreEqual("timerTrigger", function.Trigger!.Type, ignoreCase: true);
        Assert.AreEqual("0 17 * * * *", function.Trigger.Schedule);
    }

    [TestMethod]
    public void The_media_queue_function_binds_its_queue_from_an_app_setting()
    {
        var function = FunctionsApp.Metadata.Single(f => f.Name == "MediaQueue");

        Assert.AreEqual("queueTrigger", function.Trigger!.Type, ignoreCase: true);
        Assert.AreEqual("%FediMediaQueue%", function.Trigger.QueueName);
    }
}
