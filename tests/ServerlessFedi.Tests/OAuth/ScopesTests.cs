using ServerlessFedi.OAuth;

namespace ServerlessFedi.Tests.OAuth;

[TestClass]
public sealed class ScopesTests
{
    [TestMethod]
    public void Top_level_scopes_separated_by_spaces_are_parsed()
    {
        var (scopes, error) = Scopes.Parse("read write follow push");

        Assert.IsNull(error);
        CollectionAssert.AreEqual(new[] { "read", "write", "follow", "push" }, scopes.ToArray());
    }

    [TestMethod]
    public void Granular_scopes_are_parsed()
    {
        var (scopes, error) = Scopes.Parse("read:statuses write:media");

        Assert.IsNull(error);
        CollectionAssert.AreEqual(new[] { "read:statuses", "write:media" }, scopes.ToArray());
    }

    [TestMethod]
    public void Scopes_separated_by_plus_are_parsed()
    {
        var (scopes, error) = Scopes.Parse("read+write");

        Assert.IsNull(error);
        CollectionAssert.AreEqual(new[] { "read", "write" }, scopes.ToArray());
    }

    [TestMethod]
    public void Repeated_scope_is_kept_once()
    {
        var (scopes, error) = Scopes.Parse("read  read write");

        Assert.IsNull(error);
        CollectionAssert.AreEqual(new[] { "read", "write" }, scopes.ToArray());
    }

    [TestMethod]
    public void Unknown_scope_is_refused_with_an_error_naming_it()
    {
        var (scopes, error) = Scopes.Parse("read destroy");

        Assert.IsNotNull(error);
        Assert.Contains("destroy", error);
        Assert.IsEmpty(scopes);
    }

    [TestMethod]
    [DataRow("READ")]
    [DataRow("read:unicorns")]
    [DataRow("admin")]
    public void Near_miss_scope_is_refused(string scope)
    {
        var (_, error) = Scopes.Parse(scope);

        Assert.IsNotNull(error);
        Assert.Contains(scope, error);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("   ")]
    public void Empty_scope_defaults_to_read(string? value)
    {
        var (scopes, error) = Scopes.Parse(value);

        Assert.IsNull(error);
        CollectionAssert.AreEqual(new[] { "read" }, scopes.ToArray());
    }

    [TestMethod]
    public void Read_allows_every_read_child()
    {
        Assert.IsTrue(Scopes.Allows(["read"], "read:statuses"));
        Assert.IsTrue(Scopes.Allows(["read"], "read:accounts"));
        Assert.IsTrue(Scopes.Allows(["read"], "read"));
    }

    [TestMethod]
    public void Granular_scope_does_not_allow_its_parent()
    {
        Assert.IsFalse(Scopes.Allows(["read:statuses"], "read"));
        Assert.IsFalse(Scopes.Allows(["read:statuses"], "read:accounts"));
        Assert.IsTrue(Scopes.Allows(["read:statuses"], "read:statuses"));
    }

    [TestMethod]
    public void Write_does_not_allow_reading()
    {
        Assert.IsFalse(Scopes.Allows(["write"], "read:accounts"));
        Assert.IsFalse(Scopes.Allows(["write"], "read"));
        Assert.IsTrue(Scopes.Allows(["write"], "write:statuses"));
    }

    [TestMethod]
    public void Follow_allows_the_relationship_scopes()
    {
        Assert.IsTrue(Scopes.Allows(["follow"], "read:follows"));
        Assert.IsTrue(Scopes.Allows(["follow"], "write:follows"));
        Assert.IsTrue(Scopes.Allows(["follow"], "write:blocks"));
        Assert.IsTrue(Scopes.Allows(["follow"], "read:mutes"));
        Assert.IsFalse(Scopes.Allows(["follow"], "write:statuses"));
        Assert.IsFalse(Scopes.Allows(["follow"], "read:statuses"));
    }

    [TestMethod]
    public void No_granted_scope_allows_nothing()
    {
        Assert.IsFalse(Scopes.Allows([], "read"));
        Assert.IsFalse(Scopes.Allows(["push"], "read:notifications"));
    }

    [TestMethod]
    public void Prefix_that_is_not_a_scope_boundary_allows_nothing()
    {
        Assert.IsFalse(Scopes.Allows(["read"], "readwrite"));
        Assert.IsFalse(Scopes.Allows(["read"], "reading:statuses"));
    }

    [TestMethod]
    public void Admin_read_allows_the_granular_admin_read_scopes()
    {
        Assert.IsTrue(Scopes.Allows(["admin:read"], "admin:read:accounts"));
        Assert.IsTrue(Scopes.Allows(["admin:write"], "admin:write:reports"));
    }

    [TestMethod]
    public void Admin_scopes_do_not_cross_between_read_and_write_or_up_to_the_parent()
    {
        Assert.IsTrue(Scopes.Allows(["admin:read"], "admin:read"));
        Assert.IsFalse(Scopes.Allows(["admin:read"], "admin:write:accounts"));
        Assert.IsFalse(Scopes.Allows(["admin:read:accounts"], "admin:read"));
        Assert.IsFalse(Scopes.Allows(["admin:read:accounts"], "admin:read:reports"));
        Assert.IsFalse(Scopes.Allows(["read"], "admin:read:accounts"));
    }
}
