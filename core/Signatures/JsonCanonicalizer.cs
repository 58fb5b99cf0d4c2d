using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ServerlessFedi.Signatures;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme (JCS): no whitespace, object members sorted by their UTF-16 code units
/// (§3.2.3), numbers as ECMAScript's <c>Number.prototype.toString</c> writes them (§3.2.2.3), strings with the
/// minimal escaping of ECMAScript's <c>JSON.stringify</c> (§3.2.2.2), output in UTF-8 (§3.2.4).
/// Input outside I-JSON (duplicate member names, lone surrogates, numbers beyond double) throws <see cref="FormatException"/>.
/// </summary>
public static class JsonCanonicalizer
{
    public static byte[] Canonicalize(JsonElement value)
    {
        var builder = new StringBuilder(256);
        Write(builder, value);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(builder.ToString());
        }
        catch (EncoderFallbackException ex)
        {
            throw new FormatException("a string holds a lone surrogate (RFC 8785 §3.2.2.2 needs I-JSON)", ex);
        }
    }

    public static string CanonicalizeToString(JsonElement value) => Encoding.UTF8.GetString(Canonicalize(value));

    private static void Write(StringBuilder builder, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<(string Name, JsonElement Value)>();
                foreach (var property in value.EnumerateObject())
                {
                    members.Add((property.Name, property.Value));
                }

                // Ordinal comparison of .NET strings is comparison of UTF-16 code units, as §3.2.3 requires.
                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                builder.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        if (string.Equals(members[i - 1].Name, members[i].Name, StringComparison.Ordinal))
                        {
                            throw new FormatException($"duplicate member name \"{members[i].Name}\"");
                        }

                        builder.Append(',');
                    }

                    WriteString(builder, members[i].Name);
                    builder.Append(':');
                    Write(builder, members[i].Value);
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    Write(builder, item);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                string text;
                try
                {
                    text = value.GetString()!;
                }
                catch (InvalidOperationException ex)
                {
                    throw new FormatException("a string is not valid UTF-16", ex);
                }

                WriteString(builder, text);
                break;
            case JsonValueKind.Number:
                if (!double.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                {
                    throw new FormatException($"number {value.GetRawText()} is outside IEEE 754 double precision");
                }

                builder.Append(FormatNumber(number));
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            case JsonValueKind.Null:
                builder.Append("null");
                break;
            default:
                throw new FormatException($"unexpected JSON value {value.ValueKind}");
        }
    }

    /// <summary>ECMAScript Number::toString (ECMA-262 §6.1.6.1.20) for a finite double: shortest round-trip digits, exponent form outside [1e-7, 1e21).</summary>
    public static string FormatNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new FormatException("NaN and Infinity have no JSON form");
        }

        if (value == 0)
        {
            return "0"; // also -0
        }

        // .NET's "R" gives the shortest round-trip digits; only the layout differs from ECMAScript.
        var r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }

        var dot = r.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot >= 0 ? r[..dot] : r;
        var digits = dot >= 0 ? integerPart + r[(dot + 1)..] : integerPart;

        // value = 0.d1d2...dk × 10^n, with d1 != 0 (ECMA-262's n and k).
        var n = integerPart.Length + exponent;
        var leading = 0;
        while (leading < digits.Length - 1 && digits[leading] == '0')
        {
            leading++;
        }

        digits = digits[leading..].TrimEnd('0');
        n -= leading;
        var k = digits.Length;

        var sign = value < 0 ? "-" : "";
        if (k <= n && n <= 21)
        {
            return sign + digits + new string('0', n - k);
        }

        if (0 < n && n <= 21)
        {
            return sign + digits[..n] + "." + digits[n..];
        }

        if (-6 < n && n <= 0)
        {
            return sign + "0." + new string('0', -n) + digits;
        }

        var exp = n - 1;
        var mantissa = k == 1 ? digits : digits[..1] + "." + digits[1..];
        return sign + mantissa + "e" + (exp >= 0 ? "+" : "-") + Math.Abs(exp).ToString(CultureInfo.InvariantCulture);
    }

    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
