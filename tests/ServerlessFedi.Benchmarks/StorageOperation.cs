namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Names a storage REST request after the service operation it is billed as (Table, Queue and Blob REST API reference
/// operation names), from its method, URL and whether it is conditional. The URL is the one Azure.Core logs: query values
/// may be redacted, names and paths are not.
/// </summary>
public static class StorageOperation
{
    public const string Table = "table";
    public const string Queue = "queue";
    public const string Blob = "blob";

    /// <summary>The service a request went to, from the client library that sent it.</summary>
    public static string? ServiceOf(string? clientAssembly) => clientAssembly switch
    {
        "Azure.Data.Tables" => Table,
        "Azure.Storage.Queues" => Queue,
        "Azure.Storage.Blobs" => Blob,
        _ => null,
    };

    /// <summary>Returns the operation and the physical table, queue or container it addressed.</summary>
    /// <param name="accountName">Azurite puts the account in the path (<c>/devstoreaccount1/...</c>); it is skipped when it comes first.</param>
    /// <summary>Whether the operation only reads: entity reads and queries, message receives and peeks, blob and metadata reads.</summary>
    public static bool IsRead(string operation) => operation is "GetEntity" or "QueryEntities" or "QueryTables" or "GetMessages" or "PeekMessages"
        or "GetQueueMetadata" or "ListQueues" or "GetBlob" or "GetBlobProperties" or "GetContainerProperties" or "ListBlobs" or "ListContainers";

    public static (string Operation, string Resource) Classify(string service, string method, Uri uri, bool conditional, string? accountName)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (accountName is not null && segments.Length > 0 && segments[0] == accountName)
        {
            segments = segments[1..];
        }

        var query = QueryNames(uri);
        return service switch
        {
            Table => ClassifyTable(method, segments, conditional),
            Queue => ClassifyQueue(method, segments, query),
            Blob => ClassifyBlob(method, segments, query),
            _ => ($"{method} ?", "?"),
        };
    }

    private static (string, string) ClassifyTable(string method, string[] segments, bool conditional)
    {
        if (segments.Length == 0)
        {
            return ($"{method} service", "(service)");
        }

        var first = segments[0];
        if (first == "Tables")
        {
            return (method == "POST" ? "CreateTable" : "QueryTables", "(tables)");
        }

        if (first.StartsWith("Tables('", StringComparison.Ordinal))
        {
            return (method == "DELETE" ? "DeleteTable" : $"{method} table", first[8..first.IndexOf('\'', 8)]);
        }

        if (first == "$batch")
        {
            return ("EntityGroupTransaction", "(batch)");
        }

        var paren = first.IndexOf('(', StringComparison.Ordinal);
        var table = paren < 0 ? first : first[..paren];
        if (!first.Contains("PartitionKey=", StringComparison.Ordinal))
        {
            return (method switch { "POST" => "InsertEntity", "GET" => "QueryEntities", _ => $"{method} entities" }, table);
        }

        var operation = method switch
        {
            "GET" => "GetEntity",
            "DELETE" => "DeleteEntity",
            "PUT" => conditional ? "UpdateEntity" : "InsertOrReplaceEntity",
            "PATCH" or "MERGE" => conditional ? "MergeEntity" : "InsertOrMergeEntity",
            _ => $"{method} entity",
        };
        return (operation, table);
    }

    private static (string, string) ClassifyQueue(string method, string[] segments, HashSet<string> query)
    {
        var operation = (segments.Length, method) switch
        {
            (0, _) => query.Contains("comp") ? $"{method} service" : "ListQueues",
            (1, "PUT") => query.Contains("comp") ? "SetQueueMetadata" : "CreateQueue",
            (1, "DELETE") => "DeleteQueue",
            (1, _) => "GetQueueMetadata",
            (2, "POST") => "PutMessage",
            (2, "GET") => query.Contains("peekonly") ? "PeekMessages" : "GetMessages",
            (2, "DELETE") => "ClearMessages",
            (3, "DELETE") => "DeleteMessage",
            (3, "PUT") => "UpdateMessage",
            _ => $"{method} ?",
        };
        return (operation, segments.Length == 0 ? "(queues)" : segments[0]);
    }

    private static (string, string) ClassifyBlob(string method, string[] segments, HashSet<string> query)
    {
        var operation = (segments.Length, method) switch
        {
            (0, _) => query.Contains("comp") && !query.Contains("restype") ? "ListContainers" : $"{method} service",
            (1, "PUT") => "CreateContainer",
            (1, "DELETE") => "DeleteContainer",
            (1, _) => query.Contains("comp") ? "ListBlobs" : "GetContainerProperties",
            (_, "PUT") => query.Contains("comp") ? "PutBlock/PutBlockList" : "PutBlob",
            (_, "GET") => "GetBlob",
            (_, "HEAD") => "GetBlobProperties",
            (_, "DELETE") => "DeleteBlob",
            _ => $"{method} blob",
        };
        return (operation, segments.Length == 0 ? "(containers)" : segments[0]);
    }

    private static HashSet<string> QueryNames(Uri uri)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            names.Add(Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]));
        }

        return names;
    }
}
