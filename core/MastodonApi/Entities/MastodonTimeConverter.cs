using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Timestamps as Mastodon writes every one: ISO 8601 in UTC with milliseconds (<c>2026-11-20T09:00:04.000Z</c>).</summary>
public sealed class MastodonTimeConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        // Formatted on the stack (no string per timestamp): the same text as ToText.
        Span<char> text = stackalloc char[24];
        writer.WriteStringValue(value.UtcDateTime.TryFormat(text, out var written, Format, CultureInfo.InvariantCulture) ? text[..written] : ToText(value));
    }
}
