using ServerlessFedi.Federation;

namespace ServerlessFedi.Tests.Federation;

/// <summary>What an inbox's answer means for a delivery: done, refused for good, or worth another try.</summary>
[TestClass]
public sealed class DeliveryClassifierTests
{
    [TestMethod]
    [DataRow(200)]
    [DataRow(201)]
    [DataRow(202)]
    [DataRow(204)]
    public void Success_statuses_mean_delivered(int status) =>
        Assert.AreEqual(DeliveryOutcome.Delivered, DeliveryClassifier.Classify(status));

    [TestMethod]
    [DataRow(400)]
    [DataRow(403)]
    [DataRow(404)]
    [DataRow(405)]
    [DataRow(410)]
    [DataRow(413)]
    [DataRow(422)]
    public void Client_errors_mean_refused_for_good(int status) =>
        Assert.AreEqual(DeliveryOutcome.Refused, DeliveryClassifier.Classify(status));

    [TestMethod]
    [DataRow(401)]
    [DataRow(408)]
    [DataRow(429)]
    [DataRow(500)]
    [DataRow(502)]
    [DataRow(503)]
    [DataRow(504)]
    [DataRow(301)]
    [DataRow(302)]
    [DataRow(100)]
    public void Transient_failures_and_unfollowed_redirects_mean_retry(int status) =>
        Assert.AreEqual(DeliveryOutcome.Retry, DeliveryClassifier.Classify(status));
}
