using System.Net;
using Azure;
using Azure.Data.Tables;

namespace ServerlessFedi.Storage;

/// <summary>
/// A logical table kept as one physical table per UTC week (weeks start on Monday 00:00 UTC): <c>{prefix}{logical}{yyyyMMdd}</c>,
/// named after the week's first day. Rows that only matter for a while go into the current week's table, and a past week
/// expires whole with one table delete (one transaction, however many rows), where row-by-row deletes cost one transaction
/// per 100 rows. The current week's table is created on its first use in a process (+1 transaction per process per week).
/// </summary>
public sealed class WeeklyTables(StorageAccount account, FediTables tables)
{
    public static readonly TimeSpan Week = TimeSpan.FromDays(7);

    /// <summary>The start of the UTC week holding <paramref name="at"/>: the Monday before it (or that day) at 00:00 UTC.</summary>
    public static DateTimeOffset WeekOf(DateTimeOffset at)
    {
        var day = at.UtcDateTime.Date;
        var sinceMonday = ((int)day.DayOfWeek + 6) % 7;
        return new DateTimeOffset(day.AddDays(-sinceMonday), TimeSpan.Zero);
    }

    /// <summary>The logical name of <paramref name="logical"/>'s table for the week holding <paramref name="at"/>.</summary>
    public static string WeekName(string logical, DateTimeOffset at) => logical + StorageKeys.WeekSuffix(WeekOf(at));

    /// <summary>The table of the week holding <paramref name="at"/>, created when this process first uses it.</summary>
    public Task<TableClient> GetAsync(string logical, DateTimeOffset at, CancellationToken cancellationToken) =>
        tables.GetAsync(WeekName(logical, at), cancellationToken);

    /// <summary>The table of the week holding <paramref name="at"/> for reading only: never created (a missing table reads as nothing found).</summary>
    public TableClient GetExisting(string logical, DateTimeOffset at) => account.Tables.GetTableClient(tables.PhysicalName(WeekName(logical, at)));

    /// <summary>
    /// Deletes the tables of <paramref name="logical"/> for weeks before the one holding <paramref name="before"/>, and the
    /// logical table without a week (rows written before the tables were weekly). Returns the physical names deleted.
    /// Storage: 1 query of the table list + 1 delete per table.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeleteWeeksBeforeAsync(string logical, DateTimeOffset before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logical);
        var stem = tables.PhysicalName(logical);
        var bound = stem + StorageKeys.WeekSuffix(WeekOf(before));
        var deleted = new List<string>();
        await foreach (var item in account.Tables.QueryAsync(TableServiceClient.CreateQueryFilter($"TableName ge {stem} and TableName lt {bound}"), cancellationToken: cancellationToken))
        {
            var suffix = item.Name[stem.Length..];
            if (suffix.Length != 0 && (suffix.Length != 8 || !suffix.All(char.IsAsciiDigit)))
            {
                continue; // another logical table that shares the stem
            }

            try
            {
                await account.Tables.DeleteTableAsync(item.Name, cancellationToken);
                deleted.Add(item.Name);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
            {
                // Another instance deleted it first.
            }
        }

        return deleted;
    }
}
