namespace Orian.Storage.Sql;

/// <summary>How a statement writes a batch's rows into a table.</summary>
public enum WriteKind
{
    /// <summary>Appends every row (a table without a key the batch could collide on).</summary>
    Append,

    /// <summary>Inserts rows that must not exist yet: a row already there (another writer got there
    /// first) fails the batch, as a row count short of the rows sent.</summary>
    Insert,

    /// <summary>Inserts the rows whose key is not there yet and skips the others (an event written
    /// again under the same id); not counted.</summary>
    InsertIfAbsent,

    /// <summary>Updates the row with each sent row's key (and the condition, if any); every sent row
    /// must match one, or the batch fails as having lost a race.</summary>
    Update,
}

/// <summary>
/// One statement of a batch: a table's map and how the rows are written. An update's <see cref="Set"/>
/// and <see cref="Where"/> are written once for every provider: <c>t.column</c> is the table's row,
/// <c>u.column</c> the sent row's value, <c>{true}</c> and <c>{false}</c> the boolean literals. Each
/// provider renders the rest (how the rows are sent, how keys are matched) from the map.
/// </summary>
public sealed class TableWrite<TRow>(TableMap<TRow> map, WriteKind kind, string what, string? set = null, string? where = null)
{
    public TableMap<TRow> Map { get; } = map;
    public WriteKind Kind { get; } = kind;

    /// <summary>What the rows are, for the error when a count falls short.</summary>
    public string What { get; } = what;

    /// <summary>An update's assignments; null: every updated column of the map from the sent row.</summary>
    public string? Set { get; } = set;

    /// <summary>An update's condition besides matching the key; null for none.</summary>
    public string? Where { get; } = where;

    /// <summary>Whether the statement must affect exactly one row per row sent.</summary>
    public bool IsCounted => Kind is WriteKind.Insert or WriteKind.Update;
}

/// <summary>A provider's way of writing a batch, one statement per <see cref="TableWrite{TRow}"/> with
/// rows: called in the order the statements must run, only with rows.</summary>
public interface ITableWriter
{
    void Write<TRow>(TableWrite<TRow> write, IReadOnlyList<TRow> rows);
}

/// <summary>What every provider's rendering shares.</summary>
public static class TableWriteText
{
    /// <summary>The assignments of an update: its own, or every updated column of the map, each
    /// from <paramref name="value"/>.</summary>
    public static string Assignments<TRow>(TableWrite<TRow> write, Func<TableColumn<TRow>, string> value, string literalTrue, string literalFalse) =>
        Literals(write.Set, literalTrue, literalFalse)
        ?? string.Join(", ", write.Map.Columns.Where(c => c.IsUpdated).Select(c => $"{c.Name} = {value(c)}"));

    public static string? Literals(string? text, string literalTrue, string literalFalse) =>
        text?.Replace("{true}", literalTrue, StringComparison.Ordinal).Replace("{false}", literalFalse, StringComparison.Ordinal);

    public static string Names<TRow>(IEnumerable<TableColumn<TRow>> columns) => string.Join(", ", columns.Select(c => c.Name));
}
