using System.Text.Json;

namespace ServerlessFedi.Storage;

/// <summary>
/// The limits Azure Table storage enforces on an entity (Understanding the Table service data model; Table storage
/// scalability targets), checked on the JSON a write sends. Azurite enforces none of them, so
/// <see cref="TableLimitsPolicy"/> applies this check to every table write against the emulator: a store that would fail
/// on Azure fails in the tests the same way, with Azure's error code.
/// </summary>
public static class TableLimits
{
    /// <summary>A string property holds at most 64 KiB of UTF-16: 32,768 characters.</summary>
    public const int MaxStringChars = 32 * 1024;

    /// <summary>A binary property holds at most 64 KiB.</summary>
    public const int MaxBinaryBytes = 64 * 1024;

    /// <summary>An entity, all properties included, is at most 1 MiB (sized as <see cref="EntitySize"/> counts).</summary>
    public const int MaxEntityBytes = 1024 * 1024;

    /// <summary>At most 255 properties, PartitionKey, RowKey and Timestamp included.</summary>
    public const int MaxProperties = 255;

    /// <summary>PartitionKey and RowKey are strings of at most 1,024 characters.</summary>
    public const int MaxKeyChars = 1024;

    /// <summary>
    /// Null when the entity (the JSON object of an insert, update or merge) fits; otherwise Azure's error code and what
    /// broke the rule (property names only, never values).
    /// </summary>
    public static (string Code, string Message)? Check(JsonElement entity)
    {
        if (entity.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        // 4 bytes per entity, then per property 8 bytes, its name in UTF-16 and its value (Microsoft's published sizing).
        long size = 4;
        var properties = 1; // Timestamp, which the service adds
        foreach (var property in entity.EnumerateObject())
        {
            var name = property.Name;
            if (name.Contains('@', StringComparison.Ordinal))
            {
                continue; // an odata annotation, not a property
            }

            var binary = entity.TryGetProperty(name + "@odata.type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "Edm.Binary";
            if (name is "PartitionKey" or "RowKey")
            {
                var key = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : "";
                if (key.Length > MaxKeyChars)
                {
                    return ("OutOfRangeInput", $"{name} is {key.Length} characters; at most {MaxKeyChars}");
                }

                if (key.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
                {
                    return ("InvalidInput", $"{name} contains a character keys may not hold (/ \\ # ? or a control character)");
                }

                size += key.Length * 2;
                properties++;
                continue;
            }

            properties++;
            size += 8 + (name.Length * 2);
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String when binary:
                    var bytes = property.Value.GetString()!.Length / 4 * 3;
                    if (bytes > MaxBinaryBytes)
                    {
                        return ("PropertyValueTooLarge", $"binary property {name} is about {bytes} bytes; at most {MaxBinaryBytes}");
                    }

                    size += 4 + bytes;
                    break;
                case JsonValueKind.String:
                    var chars = property.Value.GetString()!.Length;
                    if (chars > MaxStringChars)
                    {
                        return ("PropertyValueTooLarge", $"string property {name} is {chars} characters; at most {MaxStringChars}");
                    }

                    size += 4 + (chars * 2);
                    break;
                default:
                    size += 8;
                    break;
            }
        }

        if (properties > MaxProperties)
        {
            return ("TooManyProperties", $"{properties} properties; at most {MaxProperties}");
        }

        return size > MaxEntityBytes ? ("EntityTooLarge", $"the entity is about {size} bytes; at most {MaxEntityBytes}") : null;
    }
}
