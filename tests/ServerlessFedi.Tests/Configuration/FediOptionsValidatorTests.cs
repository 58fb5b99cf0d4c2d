using ServerlessFedi.Configuration;

namespace ServerlessFedi.Tests.Configuration;

[TestClass]
public sealed class FediOptionsValidatorTests
{
    [TestMethod]
    [DataRow("https://social.example.gov")]
    [DataRow("https://social.example.gov/")]
    [DataRow("https://social.example.gov:8443")]
    public void Https_origin_has_no_errors(string baseUrl)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = baseUrl });

        Assert.IsEmpty(errors, string.Join("; ", errors));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    public void Missing_base_url_is_refused(string baseUrl)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = baseUrl });

        Assert.HasCount(1, errors);
        Assert.Contains("Fedi__BaseUrl is required", errors[0]);
    }

    [TestMethod]
    [DataRow("social.example.gov")]
    [DataRow("/social")]
    [DataRow("//social.example.gov")]
    [DataRow("ftp://social.example.gov")]
    [DataRow("file:///etc/passwd")]
    public void Relative_or_non_http_url_is_refused(string baseUrl)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = baseUrl });

        Assert.IsNotEmpty(errors);
        Assert.IsTrue(errors.All(e => e.Contains("Fedi__BaseUrl", StringComparison.Ordinal)), string.Join("; ", errors));
    }

    [TestMethod]
    [DataRow("https://example.gov/social")]
    [DataRow("https://example.gov/social/")]
    [DataRow("https://example.gov/?x=1")]
    [DataRow("https://example.gov/#top")]
    [DataRow("https://user:secret@example.gov")]
    public void Base_url_with_path_query_or_credentials_is_refused(string baseUrl)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = baseUrl });

        Assert.HasCount(1, errors);
        Assert.Contains("origin only", errors[0]);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Http_on_a_public_host_is_refused_even_with_private_networks_allowed(bool allowPrivateNetworks)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = "http://social.example.gov", AllowPrivateNetworks = allowPrivateNetworks });

        Assert.HasCount(1, errors);
        Assert.Contains("must use https", errors[0]);
    }

    [TestMethod]
    [DataRow("http://127.0.0.1")]
    [DataRow("http://127.0.0.1:8080")]
    [DataRow("http://localhost:7071")]
    [DataRow("http://[::1]:8080")]
    public void Http_on_loopback_is_accepted_only_with_private_networks_allowed(string baseUrl)
    {
        var refused = FediOptionsValidator.Validate(new FediOptions { BaseUrl = baseUrl, AllowPrivateNetworks = false });
        var accepted = FediOptionsValidator.Validate(new FediOptions { BaseUrl = baseUrl, AllowPrivateNetworks = true });

        Assert.HasCount(1, refused);
        Assert.Contains("must use https", refused[0]);
        Assert.IsEmpty(accepted, string.Join("; ", accepted));
    }

    [TestMethod]
    [DataRow("http://10.0.0.5")]
    [DataRow("http://192.168.1.10:8080")]
    [DataRow("http://127.0.0.1.nip.io")]
    public void Http_on_a_private_but_not_loopback_host_is_refused(string baseUrl)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = baseUrl, AllowPrivateNetworks = true });

        Assert.HasCount(1, errors);
    }

    [TestMethod]
    [DataRow("exa mple")]
    [DataRow("example.gov/")]
    [DataRow("https://example.gov")]
    [DataRow("-example.gov")]
    [DataRow("example..gov")]
    [DataRow("alice@example.gov")]
    public void Bad_account_domain_is_refused(string domain)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = "https://social.example.gov", AccountDomain = domain });

        Assert.HasCount(1, errors);
        Assert.Contains("Fedi__AccountDomain", errors[0]);
    }

    [TestMethod]
    [DataRow("example.gov")]
    [DataRow("localhost")]
    [DataRow("xn--bcher-kva.example")]
    public void Host_name_account_domain_is_accepted(string domain)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = "https://social.example.gov", AccountDomain = domain });

        Assert.IsEmpty(errors, string.Join("; ", errors));
    }

    [TestMethod]
    [DataRow("english")]
    [DataRow("EN")]
    [DataRow("de-DE")]
    [DataRow("de,english")]
    public void Bad_language_is_refused(string languages)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = "https://social.example.gov", Languages = languages });

        Assert.HasCount(1, errors);
        Assert.Contains("Fedi__Languages", errors[0]);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow(" , ")]
    public void Empty_language_list_is_refused(string languages)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = "https://social.example.gov", Languages = languages });

        Assert.HasCount(1, errors);
        Assert.Contains("Fedi__Languages", errors[0]);
    }

    [TestMethod]
    public void Language_list_is_accepted()
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = "https://social.example.gov", Languages = "de, en,fr" });

        Assert.IsEmpty(errors, string.Join("; ", errors));
    }

    [TestMethod]
    [DataRow("Upper")]
    [DataRow("1abc")]
    [DataRow("way-too-long-prefix")]
    [DataRow("abcdefghijklm")]
    [DataRow("a_b")]
    public void Bad_storage_prefix_is_refused(string prefix)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = "https://social.example.gov", StoragePrefix = prefix });

        Assert.HasCount(1, errors);
        Assert.Contains("Fedi__StoragePrefix", errors[0]);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("a")]
    [DataRow("abcdefghijk1")]
    public void Valid_storage_prefix_is_accepted(string prefix)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = "https://social.example.gov", StoragePrefix = prefix });

        Assert.IsEmpty(errors, string.Join("; ", errors));
    }

    [TestMethod]
    public void Every_problem_is_reported_at_once()
    {
        var errors = FediOptionsValidator.Validate(new FediOptions
        {
            BaseUrl = "",
            AccountDomain = "exa mple",
            InstanceTitle = "",
            ContactEmail = "nobody",
            ContactAccount = "not a name",
            Languages = "english",
            ImprintUrl = "not a url",
            PrivacyPolicyUrl = "javascript:alert(1)",
            StoragePrefix = "Upper",
        });

        Assert.HasCount(9, errors, string.Join(Environment.NewLine, errors));
    }

    [TestMethod]
    public void Separate_account_domain_is_used_for_handles_and_base_url_for_actors()
    {
        var urls = new InstanceUrls(new FediOptions { BaseUrl = "https://social.example.gov", AccountDomain = "example.gov" });

        Assert.AreEqual("example.gov", urls.AccountDomain);
        Assert.AreEqual("social.example.gov", urls.WebDomain);
        Assert.AreEqual("https://social.example.gov", urls.Base);
        Assert.AreEqual("https://social.example.gov/users/alice", urls.Actor("alice"));
        Assert.AreEqual("https://social.example.gov/users/alice#main-key", urls.ActorKey("alice"));
        Assert.AreEqual("https://social.example.gov/users/alice/inbox", urls.Inbox("alice"));
        Assert.AreEqual("https://social.example.gov/@alice", urls.Profile("alice"));
        Assert.AreEqual("https://social.example.gov/inbox", urls.SharedInbox);
        Assert.AreEqual("https://social.example.gov/actor", urls.InstanceActor);
    }

    [TestMethod]
    public void Account_domain_defaults_to_the_web_domain()
    {
        var urls = new InstanceUrls(new FediOptions { BaseUrl = "https://Social.Example.GOV/" });

        Assert.AreEqual("social.example.gov", urls.WebDomain);
        Assert.AreEqual("social.example.gov", urls.AccountDomain);
        Assert.AreEqual("https://social.example.gov", urls.Base);
    }

    [TestMethod]
    public void Non_default_port_is_kept_in_the_web_domain()
    {
        var urls = new InstanceUrls(new FediOptions { BaseUrl = "http://127.0.0.1:8080", AllowPrivateNetworks = true });

        Assert.AreEqual("127.0.0.1:8080", urls.WebDomain);
        Assert.AreEqual("127.0.0.1:8080", urls.AccountDomain);
        Assert.AreEqual("http://127.0.0.1:8080/users/alice", urls.Actor("alice"));
    }

    [TestMethod]
    public void Default_port_is_dropped_from_the_web_domain()
    {
        var urls = new InstanceUrls(new FediOptions { BaseUrl = "https://social.example.gov:443" });

        Assert.AreEqual("social.example.gov", urls.WebDomain);
        Assert.AreEqual("https://social.example.gov/users/alice", urls.Actor("alice"));
    }

    [TestMethod]
    public void Instance_urls_refuse_invalid_options()
    {
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => new InstanceUrls(new FediOptions { BaseUrl = "https://example.gov/social" }));

        Assert.Contains("Fedi__BaseUrl", ex.Message);
    }

    [TestMethod]
    public void Imprint_and_privacy_texts_are_limited_in_length()
    {
        var fine = FediOptionsValidator.Validate(new FediOptions { BaseUrl = "https://social.example.gov", ImprintText = new string('a', 20_000), PrivacyPolicyText = "Short." });
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = "https://social.example.gov", ImprintText = new string('a', 20_001), PrivacyPolicyText = new string('b', 20_001) });

        Assert.IsEmpty(fine);
        Assert.HasCount(2, errors);
        Assert.Contains("Fedi__ImprintText is too long", errors[0]);
        Assert.Contains("Fedi__PrivacyPolicyText is too long", errors[1]);
    }

    [TestMethod]
    [DataRow("https://social.example.gov")]
    [DataRow("https://mastodon.social")]
    [DataRow("https://10.0.0.5")]
    [DataRow("https://social.example.gov.test.evil")]
    public void Private_networks_are_refused_with_a_public_base_url(string baseUrl)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = baseUrl, AllowPrivateNetworks = true });

        Assert.HasCount(1, errors);
        Assert.Contains("Fedi__AllowPrivateNetworks=true is for local runs and tests only", errors[0]);
        Assert.IsEmpty(FediOptionsValidator.Validate(new FediOptions { BaseUrl = baseUrl, AllowPrivateNetworks = false }));
    }

    [TestMethod]
    [DataRow("http://127.0.0.1:7071")]
    [DataRow("https://localhost:8443")]
    [DataRow("https://social.example.test")]
    [DataRow("https://bench.bench.invalid")]
    [DataRow("https://peer.example")]
    [DataRow("https://app.localhost")]
    public void Private_networks_are_accepted_with_a_loopback_or_reserved_test_base_url(string baseUrl)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = baseUrl, AllowPrivateNetworks = true });

        Assert.IsEmpty(errors, string.Join("; ", errors));
    }

    [TestMethod]
    [DataRow("8f1c2a3b-0d4e-4f5a-9b6c-7d8e9f0a1b2c", true)]
    [DataRow("", true)]
    [DataRow("not-a-guid", false)]
    [DataRow("{8f1c2a3b-0d4e-4f5a-9b6c-7d8e9f0a1b2c}", false)]
    [DataRow("8f1c2a3b0d4e4f5a9b6c7d8e9f0a1b2c", false)]
    public void The_front_door_id_must_be_a_guid(string frontDoorId, bool valid)
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = "https://social.example.gov", FrontDoorId = frontDoorId });

        Assert.AreEqual(valid, errors.Count == 0, string.Join("; ", errors));
        if (!valid)
        {
            Assert.Contains("Fedi__FrontDoorId", errors[0]);
        }
    }
}
