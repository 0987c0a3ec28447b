namespace Orian.Storage.Sql;

/// <summary>What a column holds. Each provider names its own type for it (PostgreSQL's <c>text</c>,
/// SQL Server's <c>nvarchar(n)</c>, SQLite's affinity) and knows how to send it.</summary>
public enum ColumnType
{
    /// <summary>Text compared as it is (results, statuses).</summary>
    Text,

    /// <summary>Text that is a key or joins one: stored with a binary collation, so SQL Server names
    /// that collation wherever a sent value is compared with it.</summary>
    Key,

    /// <summary>A three-letter currency code (fixed width where the database has one).</summary>
    Currency,

    /// <summary>Unbounded text: a stored body or a webhook payload.</summary>
    Document,

    BigInt,
    Int,
    SmallInt,
    Bool,

    /// <summary>Binary (a hash), sent as hex where the rows travel as JSON.</summary>
    Bytes,

    /// <summary>A point in time (<see cref="DateTimeOffset"/>).</summary>
    Time,

    /// <summary>A double: only measurements (a latency), never money.</summary>
    Real,
}

/// <summary>One column of a <see cref="TableMap{TRow}"/>: its name in the table, what it holds, its
/// declared width (characters or bytes, for the databases that declare one; 0 where unbounded), and
/// how its value is read from one row of a batch.</summary>
public abstract class TableColumn<TRow>
{
    protected TableColumn(string name, ColumnType type, int width, ColumnRole role)
    {
        Name = name;
        Type = type;
        Width = width;
        Role = role;
    }

    public string Name { get; }
    public ColumnType Type { get; }
    public int Width { get; }
    public ColumnRole Role { get; }

    /// <summary>Takes the batch's time (<c>@at</c>), not a value of each row.</summary>
    public bool IsBatchTime => Role is ColumnRole.BatchTime or ColumnRole.BatchTimeOnInsert;

    /// <summary>Sent with each row (every column but the batch's time).</summary>
    public bool IsSent => !IsBatchTime;

    /// <summary>Stored in the table (every column but a condition the batch sends).</summary>
    public bool IsStored => Role != ColumnRole.Condition;

    /// <summary>Set by a plain update of the row (not the key, not a time written once).</summary>
    public bool IsUpdated => Role is ColumnRole.Value or ColumnRole.BatchTime;

    /// <summary>The value of every row, in order, as one typed array (the .NET type the map reads).</summary>
    public abstract Array Gather(IReadOnlyList<TRow> rows);

    /// <summary>The value of one row (boxed; null for a missing value).</summary>
    public abstract object? Get(TRow row);
}

/// <summary>What a column is to the statements written from a map.</summary>
public enum ColumnRole
{
    /// <summary>Identifies the row: matched by updates, never set by them.</summary>
    Key,

    /// <summary>A stored value, written by inserts and updates.</summary>
    Value,

    /// <summary>The batch's time, written by inserts and updates (<c>updated_at</c>).</summary>
    BatchTime,

    /// <summary>The batch's time, written once by the insert (<c>created_at</c>).</summary>
    BatchTimeOnInsert,

    /// <summary>Sent with the rows for an update's condition, not stored (the version read under lock).</summary>
    Condition,
}

internal sealed class TableColumn<TRow, T>(string name, ColumnType type, int width, ColumnRole role, Func<TRow, T>? read)
    : TableColumn<TRow>(name, type, width, role)
{
    public override Array Gather(IReadOnlyList<TRow> rows)
    {
        var get = Read;
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = get(rows[i]);
        }

        return values;
    }

    public override object? Get(TRow row) => Read(row);

    private Func<TRow, T> Read => read ?? throw new InvalidOperationException($"Column {Name} takes the batch's time: it has no value per row.");
}

/// <summary>
/// One table as the batch writes it: the table's columns, each once, with how each is read from the
/// batch's rows. Every provider derives its bulk write (PostgreSQL's arrays, SQLite's bound row,
/// SQL Server's JSON and <c>OPENJSON</c> schema) and its select list from this one list, so a stored
/// field is one entry here, not one per provider.
/// </summary>
public sealed class TableMap<TRow>
{
    public TableMap(string table, params TableColumn<TRow>[] columns)
    {
        Table = table;
        Columns = columns;
        Keys = [.. columns.Where(c => c.Role == ColumnRole.Key)];
        if (columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != columns.Length)
        {
            throw new ArgumentException($"The map of {table} names a column twice.", nameof(columns));
        }

        SelectList = string.Join(", ", columns.Where(c => c.IsStored).Select(c => c.Name));
    }

    public string Table { get; }
    public IReadOnlyList<TableColumn<TRow>> Columns { get; }
    /// <summary>The columns that identify a row (what an update matches and an insert must not
    /// find); none for a table the batch only appends to.</summary>
    public IReadOnlyList<TableColumn<TRow>> Keys { get; }

    /// <summary>Every stored column, comma-separated, for a read (Dapper matches them to a row type's
    /// properties by name, underscores ignored).</summary>
    public string SelectList { get; }

    public TableColumn<TRow> this[string name] => Columns.First(c => c.Name == name);
}

/// <summary>The entries of a <see cref="TableMap{TRow}"/>.</summary>
public static class Column
{
    public static TableColumn<TRow> Key<TRow, T>(string name, ColumnType type, int width, Func<TRow, T> read) =>
        new TableColumn<TRow, T>(name, type, width, ColumnRole.Key, read);

    public static TableColumn<TRow> Of<TRow, T>(string name, ColumnType type, Func<TRow, T> read, int width = 0) =>
        new TableColumn<TRow, T>(name, type, width, ColumnRole.Value, read);

    public static TableColumn<TRow> Condition<TRow, T>(string name, ColumnType type, Func<TRow, T> read) =>
        new TableColumn<TRow, T>(name, type, 0, ColumnRole.Condition, read);

    /// <summary>Set to the batch's time by inserts and updates.</summary>
    public static TableColumn<TRow> BatchTime<TRow>(string name) =>
        new TableColumn<TRow, DateTimeOffset>(name, ColumnType.Time, 0, ColumnRole.BatchTime, null);

    /// <summary>Set to the batch's time by the insert only.</summary>
    public static TableColumn<TRow> CreatedAt<TRow>(string name) =>
        new TableColumn<TRow, DateTimeOffset>(name, ColumnType.Time, 0, ColumnRole.BatchTimeOnInsert, null);
}
