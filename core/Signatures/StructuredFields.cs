using System.Globalization;
using System.Text;

namespace ServerlessFedi.Signatures;

/// <summary>A token bare item (RFC 8941 §3.3.4), kept apart from strings because it serialises without quotes.</summary>
internal sealed record SfToken(string Value);

/// <summary>An item or an inner list member of a structured field, with its parameters in received order.</summary>
internal sealed record SfItem(object Value, IReadOnlyList<KeyValuePair<string, object>> Parameters);

/// <summary>An inner list (RFC 8941 §3.1.1) with its parameters.</summary>
internal sealed record SfInnerList(IReadOnlyList<SfItem> Items, IReadOnlyList<KeyValuePair<string, object>> Parameters);

/// <summary>
/// The parts of RFC 8941 structured field values that HTTP message signatures need: parsing dictionaries whose members are
/// items or inner lists (§4.2.2), and serialising inner lists (§4.1.1) for the <c>@signature-params</c> line of RFC 9421 §2.3.
/// Bare items are <see cref="long"/>, <see cref="decimal"/>, <see cref="string"/>, <see cref="SfToken"/>, <see cref="byte"/>[] and <see cref="bool"/>.
/// </summary>
internal static class StructuredFields
{
    /// <summary>Parses a dictionary; member values are <see cref="SfItem"/> or <see cref="SfInnerList"/>. Null when malformed.</summary>
    public static IReadOnlyList<KeyValuePair<string, object>>? ParseDictionary(string input)
    {
        var reader = new Reader(input);
        reader.SkipSpaces();
        var members = new List<KeyValuePair<string, object>>();
        while (!reader.AtEnd)
        {
            if (reader.ReadKey() is not { } key)
            {
                return null;
            }

            object? member;
            if (reader.TryConsume('='))
            {
                member = reader.ReadItemOrInnerList();
            }
            else
            {
                // RFC 8941 §4.2.2: a key without "=" is Boolean true with parameters.
                member = reader.ReadParameters() is { } parameters ? new SfItem(true, parameters) : null;
            }

            if (member is null)
            {
                return null;
            }

            Set(members, key, member);
            reader.SkipOptionalWhitespace();
            if (reader.AtEnd)
            {
                return members;
            }

            if (!reader.TryConsume(','))
            {
                return null;
            }

            reader.SkipOptionalWhitespace();
            if (reader.AtEnd)
            {
                return null;
            }
        }

        return members;
    }

    public static string SerializeInnerList(SfInnerList list)
    {
        var builder = new StringBuilder("(");
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            AppendBareItem(builder, list.Items[i].Value);
            AppendParameters(builder, list.Items[i].Parameters);
        }

        builder.Append(')');
        AppendParameters(builder, list.Parameters);
        return builder.ToString();
    }

    /// <summary>The value of parameter <paramref name="name"/>, or null.</summary>
    public static object? Parameter(IReadOnlyList<KeyValuePair<string, object>> parameters, string name)
    {
        foreach (var (key, value) in parameters)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }

    private static void Set(List<KeyValuePair<string, object>> map, string key, object value)
    {
        // RFC 8941 §4.2.2 / §4.2.3.2: a repeated key overwrites the value and keeps the first position.
        var index = map.FindIndex(pair => pair.Key == key);
        if (index >= 0)
        {
            map[index] = new(key, value);
        }
        else
        {
            map.Add(new(key, value));
        }
    }

    private static void AppendParameters(StringBuilder builder, IReadOnlyList<KeyValuePair<string, object>> parameters)
    {
        foreach (var (key, value) in parameters)
        {
            builder.Append(';').Append(key);
            if (value is not true)
            {
                builder.Append('=');
                AppendBareItem(builder, value);
            }
        }
    }

    private static void AppendBareItem(StringBuilder builder, object value)
    {
        switch (value)
        {
            case long integer:
                builder.Append(integer.ToString(CultureInfo.InvariantCulture));
                break;
            case decimal number:
                // RFC 8941 §4.1.5: at most three fractional digits, trailing zeros dropped but one digit kept.
                builder.Append(Math.Round(number, 3, MidpointRounding.ToEven).ToString("0.0##", CultureInfo.InvariantCulture));
                break;
            case string text:
                builder.Append('"');
                foreach (var c in text)
                {
                    if (c is '"' or '\\')
                    {
                        builder.Append('\\');
                    }

                    builder.Append(c);
                }

                builder.Append('"');
                break;
            case SfToken token:
                builder.Append(token.Value);
                break;
            case byte[] bytes:
                builder.Append(':').Append(Convert.ToBase64String(bytes)).Append(':');
                break;
            case bool boolean:
                builder.Append(boolean ? "?1" : "?0");
                break;
            default:
                throw new ArgumentException("Not a structured field bare item.", nameof(value));
        }
    }

    private ref struct Reader(string input)
    {
        private readonly string _input = input;
        private int _position;

        public readonly bool AtEnd => _position >= _input.Length;

        private readonly char Current => _input[_position];

        public bool TryConsume(char c)
        {
            if (!AtEnd && Current == c)
            {
                _position++;
                return true;
            }

            return false;
        }

        public void SkipSpaces()
        {
            while (!AtEnd && Current == ' ')
            {
                _position++;
            }
        }

        public void SkipOptionalWhitespace()
        {
            while (!AtEnd && Current is ' ' or '\t')
            {
                _position++;
            }
        }

        public string? ReadKey()
        {
            if (AtEnd || !(IsLowerAlpha(Current) || Current == '*'))
            {
                return null;
            }

            var start = _position;
            while (!AtEnd && (IsLowerAlpha(Current) || char.IsAsciiDigit(Current) || Current is '_' or '-' or '.' or '*'))
            {
                _position++;
            }

            return _input[start.._position];
        }

        public object? ReadItemOrInnerList()
        {
            if (!TryConsume('('))
            {
                return ReadItem();
            }

            var items = new List<SfItem>();
            while (!AtEnd)
            {
                SkipSpaces();
                if (TryConsume(')'))
                {
                    return ReadParameters() is { } listParameters ? new SfInnerList(items, listParameters) : null;
                }

                if (ReadItem() is not { } item)
                {
                    return null;
                }

                items.Add(item);
                if (AtEnd || Current is not (' ' or ')'))
                {
                    return null;
                }
            }

            return null;
        }

        public List<KeyValuePair<string, object>>? ReadParameters()
        {
            var parameters = new List<KeyValuePair<string, object>>();
            while (TryConsume(';'))
            {
                SkipSpaces();
                if (ReadKey() is not { } key)
                {
                    return null;
                }

                object value = true;
                if (TryConsume('='))
                {
                    if (ReadBareItem() is not { } bare)
                    {
                        return null;
                    }

                    value = bare;
                }

                Set(parameters, key, value);
            }

            return parameters;
        }

        private SfItem? ReadItem()
        {
            if (ReadBareItem() is not { } value || ReadParameters() is not { } parameters)
            {
                return null;
            }

            return new SfItem(value, parameters);
        }

        private object? ReadBareItem()
        {
            if (AtEnd)
            {
                return null;
            }

            var c = Current;
            if (c == '-' || char.IsAsciiDigit(c))
            {
                return ReadNumber();
            }

            if (c == '"')
            {
                return ReadString();
            }

            if (char.IsAsciiLetter(c) || c == '*')
            {
                return ReadToken();
            }

            if (c == ':')
            {
                return ReadByteSequence();
            }

            if (c == '?')
            {
                _position++;
                if (TryConsume('1'))
                {
                    return true;
                }

                return TryConsume('0') ? false : null;
            }

            return null;
        }

        private object? ReadNumber()
        {
            // RFC 8941 §4.2.4: integers have at most 15 digits; decimals at most 12 integer and 3 fractional digits.
            var start = _position;
            TryConsume('-');
            var digitsStart = _position;
            var dot = -1;
            while (!AtEnd)
            {
                if (char.IsAsciiDigit(Current))
                {
                    _position++;
                }
                else if (Current == '.' && dot < 0)
                {
                    if (_position - digitsStart > 12)
                    {
                        return null;
                    }

                    dot = _position;
                    _position++;
                }
                else
                {
                    break;
                }

                if (dot < 0 && _position - digitsStart > 15)
                {
                    return null;
                }
            }

            if (_position == digitsStart)
            {
                return null;
            }

            var text = _input[start.._position];
            if (dot < 0)
            {
                return long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            }

            var fraction = _position - dot - 1;
            if (fraction is < 1 or > 3)
            {
                return null;
            }

            return decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        }

        private string? ReadString()
        {
            _position++;
            var builder = new StringBuilder();
            while (!AtEnd)
            {
                var c = Current;
                _position++;
                if (c == '\\')
                {
                    if (AtEnd || Current is not ('"' or '\\'))
                    {
                        return null;
                    }

                    builder.Append(Current);
                    _position++;
                }
                else if (c == '"')
                {
                    return builder.ToString();
                }
                else if (c is < ' ' or > '~')
                {
                    return null;
                }
                else
                {
                    builder.Append(c);
                }
            }

            return null;
        }

        private SfToken ReadToken()
        {
            var start = _position;
            _position++;
            while (!AtEnd && (IsTokenChar(Current) || Current is ':' or '/'))
            {
                _position++;
            }

            return new SfToken(_input[start.._position]);
        }

        private byte[]? ReadByteSequence()
        {
            _position++;
            var end = _input.IndexOf(':', _position);
            if (end < 0)
            {
                return null;
            }

            var content = _input.AsSpan(_position, end - _position);
            _position = end + 1;
            foreach (var c in content)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
                {
                    return null;
                }
            }

            var buffer = new byte[content.Length * 3 / 4 + 3];
            return Convert.TryFromBase64Chars(content, buffer, out var written) ? buffer[..written] : null;
        }

        private static bool IsLowerAlpha(char c) => c is >= 'a' and <= 'z';

        private static bool IsTokenChar(char c) =>
            char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
    }
}
