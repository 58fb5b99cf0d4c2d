using ServerlessFedi.Signatures;

namespace ServerlessFedi.Tests.Signatures;

/// <summary>The RFC 8941 subset behind Signature-Input, Signature and Content-Digest.</summary>
[TestClass]
public sealed class StructuredFieldsTests
{
    [TestMethod]
    [DataRow("(\"date\" \"@method\");created=1618884473;keyid=\"test-key-ed25519\"")]
    [DataRow("();created=1618884473;keyid=\"test-key-rsa-pss\";nonce=\"b3k2pp5k7z-50gnwp.yemd\"")]
    [DataRow("(\"@query-param\";name=\"Pet\" \"content-digest\");tag=\"header-example\"")]
    [DataRow("(\"a\");flag;n=-12;d=1.5;t=tok/en:x;b=:AQID:;f=?0;s=\"q\\\"uote\\\\\"")]
    public void Inner_lists_serialise_back_to_their_canonical_text(string innerList)
    {
        var members = StructuredFields.ParseDictionary("sig=" + innerList);

        Assert.IsNotNull(members);
        Assert.AreEqual(innerList, StructuredFields.SerializeInnerList((SfInnerList)members.Single().Value));
    }

    [TestMethod]
    public void Whitespace_between_members_and_items_is_not_part_of_the_serialisation()
    {
        var members = StructuredFields.ParseDictionary("a=( \"x\"   \"y\" );k=1 ,\tb=:AQID:");

        Assert.IsNotNull(members);
        Assert.AreEqual("(\"x\" \"y\");k=1", StructuredFields.SerializeInnerList((SfInnerList)members[0].Value));
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, (byte[])((SfItem)members[1].Value).Value);
    }

    [TestMethod]
    public void A_repeated_key_keeps_its_first_position_and_last_value()
    {
        var members = StructuredFields.ParseDictionary("a=1, b=2, a=3");

        Assert.IsNotNull(members);
        CollectionAssert.AreEqual(new[] { "a", "b" }, members.Select(member => member.Key).ToArray());
        Assert.AreEqual(3L, ((SfItem)members[0].Value).Value);
    }

    [TestMethod]
    [DataRow("a=")]
    [DataRow("a=(")]
    [DataRow("a=(\"x\"")]
    [DataRow("a=\"unterminated")]
    [DataRow("a=\"bad\\escape\"")]
    [DataRow("A=1")]
    [DataRow("a=1,")]
    [DataRow("a=1 b=2")]
    [DataRow("a=1.2345")]
    [DataRow("a=1234567890123456")]
    [DataRow("a=:AQ-D:")]
    [DataRow("a=?2")]
    [DataRow("a=@")]
    public void Malformed_dictionaries_are_refused(string input)
    {
        Assert.IsNull(StructuredFields.ParseDictionary(input));
    }
}
