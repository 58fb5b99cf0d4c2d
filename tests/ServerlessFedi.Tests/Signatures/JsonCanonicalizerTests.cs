using System.Globalization;
using System.Text;
using System.Text.Json;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Tests.Signatures;

/// <summary>
/// RFC 8785 (JCS) with its own published values: the §3.2.2 sample, the §3.2.3 sorting sample, the Appendix B number
/// table, and the reference implementation's test data (cyberphone/json-canonicalization testdata).
/// </summary>
[TestClass]
public sealed class JsonCanonicalizerTests
{
    private static string Canonical(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonCanonicalizer.CanonicalizeToString(doc.RootElement);
    }

    [TestMethod]
    public void Rfc8785_section_3_2_2_sample_is_reproduced_byte_for_byte()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        Assert.AreEqual(expected, Canonical(input));

        // §3.2.4: the UTF-8 bytes the RFC prints in hexadecimal.
        using var doc = JsonDocument.Parse(input);
        var hex = Convert.ToHexString(JsonCanonicalizer.Canonicalize(doc.RootElement)).ToLowerInvariant();
        Assert.AreEqual(
            "7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c226e756d62657273223a5b3333333333333333332e333333333333332c31652b33302c342e352c302e3030322c31652d32375d2c22737472696e67223a22e282ac245c75303030665c6e4127425c225c5c5c5c5c222f227d",
            hex);
    }

    [TestMethod]
    public void Rfc8785_section_3_2_3_members_sort_by_utf16_code_units()
    {
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;
        var expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
            + "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        Assert.AreEqual(expected, Canonical(input));
    }

    [TestMethod]
    [DataRow("0000000000000000", "0")]
    [DataRow("8000000000000000", "0")]
    [DataRow("0000000000000001", "5e-324")]
    [DataRow("8000000000000001", "-5e-324")]
    [DataRow("7fefffffffffffff", "1.7976931348623157e+308")]
    [DataRow("ffefffffffffffff", "-1.7976931348623157e+308")]
    [DataRow("4340000000000000", "9007199254740992")]
    [DataRow("c340000000000000", "-9007199254740992")]
    [DataRow("4430000000000000", "295147905179352830000")]
    [DataRow("44b52d02c7e14af5", "9.999999999999997e+22")]
    [DataRow("44b52d02c7e14af6", "1e+23")]
    [DataRow("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [DataRow("444b1ae4d6e2ef4e", "999999999999999700000")]
    [DataRow("444b1ae4d6e2ef4f", "999999999999999900000")]
    [DataRow("444b1ae4d6e2ef50", "1e+21")]
    [DataRow("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [DataRow("3eb0c6f7a0b5ed8d", "0.000001")]
    [DataRow("41b3de4355555553", "333333333.3333332")]
    [DataRow("41b3de4355555554", "333333333.33333325")]
    [DataRow("41b3de4355555555", "333333333.3333333")]
    [DataRow("41b3de4355555556", "333333333.3333334")]
    [DataRow("41b3de4355555557", "333333333.33333343")]
    [DataRow("becbf647612f3696", "-0.0000033333333333333333")]
    [DataRow("43143ff3c1cb0959", "1424953923781206.2")]
    public void Rfc8785_appendix_B_numbers_serialize_as_ecmascript_does(string ieee754, string expected)
    {
        var value = BitConverter.Int64BitsToDouble(long.Parse(ieee754, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.AreEqual(expected, JsonCanonicalizer.FormatNumber(value));

        // The same through the JSON text: the shortest round-trip form parses back to the same double.
        Assert.AreEqual($"[{expected}]", Canonical($"[{value.ToString("R", CultureInfo.InvariantCulture)}]"));
    }

    [TestMethod]
    [DataRow("7fffffffffffffff")]
    [DataRow("7ff0000000000000")]
    public void Rfc8785_appendix_B_nan_and_infinity_are_refused(string ieee754)
    {
        var value = BitConverter.Int64BitsToDouble(long.Parse(ieee754, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.ThrowsExactly<FormatException>(() => JsonCanonicalizer.FormatNumber(value));
    }

    [TestMethod]
    public void Reference_testdata_structures_sorts_nested_members_and_keeps_array_order() =>
        Assert.AreEqual(
            "{\"\":\"empty\",\"1\":{\"\\n\":56,\"f\":{\"F\":5,\"f\":\"hi\"}},\"10\":{},\"111\":[{}],\"A\":{},\"a\":{}}",
            Canonical("{\n  \"1\": {\"f\": {\"f\": \"hi\",\"F\": 5} ,\"\\n\": 56.0},\n  \"10\": { },\n  \"\": \"empty\",\n  \"a\": { },\n  \"111\": [ { } ],\n  \"A\": { }\n}"));

    [TestMethod]
    public void Reference_testdata_weird_leaves_non_ascii_and_del_unescaped() =>
        Assert.AreEqual(
            "{\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\u0080\":\"Control\u007f\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\ud83d\ude02\":\"Smiley\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
            Canonical("{\n  \"\\u20ac\": \"Euro Sign\",\n  \"1\": \"One\",\n  \"\\u0080\": \"Control\\u007f\",\n  \"\\ud83d\\ude02\": \"Smiley\",\n  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\",\n  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n  \"</script>\": \"Browser Challenge\"\n}\n"));

    [TestMethod]
    public void Control_characters_use_short_escapes_or_lowercase_u_escapes() =>
        Assert.AreEqual("\"\\b\\f\\n\\r\\t\\u0000\\u001f\"", Canonical("\"\\b\\f\\n\\r\\t\\u0000\\u001F\""));

    [TestMethod]
    public void Duplicate_member_names_are_refused() =>
        Assert.ThrowsExactly<FormatException>(() => Canonical("{\"a\":1,\"a\":2}"));

    [TestMethod]
    public void A_lone_surrogate_is_refused() =>
        Assert.ThrowsExactly<FormatException>(() => Canonical("[\"\\ud800\"]"));

    [TestMethod]
    public void Output_is_utf8_without_byte_order_mark()
    {
        using var doc = JsonDocument.Parse("{\"k\":\"é\"}");
        CollectionAssert.AreEqual(Encoding.UTF8.GetBytes("{\"k\":\"é\"}"), JsonCanonicalizer.Canonicalize(doc.RootElement));
    }
}
