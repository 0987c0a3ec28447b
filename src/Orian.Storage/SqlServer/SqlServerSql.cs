using Orian.Storage.Sql;

namespace Orian.Storage.SqlServer;

/// <summary>The SQL Server batch statements: the locking read, and each write derived from its table's
/// map, reading its rows from one JSON array (<c>@rows</c>, named per statement when the batch is
/// built) and writing them in one set-based statement. Keys are
/// stored with the binary collation <c>Latin1_General_100_BIN2</c> (ids compare byte for byte, as
/// on the other databases); a value read from JSON takes the database's default collation, so each
/// comparison with a key names the key's collation.</summary>
internal static class SqlServerSql
{
    /// <summary>The batch's transactions, then its accounts and every account one of those transactions
    /// touches, as one key list (an <c>OR</c> of two lists can turn the seek into a scan; it did on
    /// PostgreSQL).</summary>
    public static readonly string Lock = $"""
        SELECT {TransactionRow.Columns} FROM transactions WITH (UPDLOCK, ROWLOCK, HOLDLOCK)
        WHERE id IN (SELECT id COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@ids) WITH (id nvarchar(64) '$')) ORDER BY id;
        SELECT account_no, currency, exponent, posted, held FROM accounts WITH (UPDLOCK, ROWLOCK, HOLDLOCK)
        WHERE account_no IN (
            SELECT a COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@accounts) WITH (a nvarchar(200) '$')
            UNION ALL
            SELECT x.a FROM transactions t
                CROSS APPLY (VALUES (t.effect_account), (CASE WHEN t.effect_counter_is_account = 1 THEN t.effect_counter END)) x(a)
            WHERE t.id IN (SELECT id COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@ids) WITH (id nvarchar(64) '$')))
        ORDER BY account_no;
        """;

    /// <summary>The fan-out's read: the subscriptions, and the links of the batch's transactions, whose
    /// ids the batch holds under <c>UPDLOCK, HOLDLOCK</c> (as a link write does its one), so the links
    /// stay as read until the batch commits.</summary>
    public const string FanOutRead = $"""
        {OutboxSql.EnabledEndpoints};
        SELECT {InstructionLinkRow.Columns} FROM instruction_links
        WHERE transaction_id IN (SELECT id COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@ids) WITH (id nvarchar(64) '$'));
        """;

    /// <summary>The controls, and what each account with a daily limit has spent today as it stands
    /// (the rule, and why only where a limit will use it, are written out beside the PostgreSQL
    /// statement).</summary>
    public const string AuthorisationRead = $"""
        SELECT {ControlsRow.Columns} FROM account_controls WHERE account_no IN (SELECT a COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@accounts) WITH (a nvarchar(200) '$'));
        SELECT effect_account, sum(effect_held + CASE WHEN effect_posted < 0 THEN -effect_posted ELSE 0 END) FROM transactions
        WHERE effect_account IN (SELECT c.account_no FROM account_controls c WHERE c.daily_spend_limit IS NOT NULL
                                   AND c.account_no IN (SELECT a COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@accounts) WITH (a nvarchar(200) '$')))
          AND created_at >= @day AND (effect_held <> 0 OR effect_posted <> 0)
        GROUP BY effect_account;
        """;

    /// <summary>The statement of <paramref name="write"/>, rendered once per process, reading its rows
    /// from <c>@rows</c> (renamed per statement when the batch is built).</summary>
    public static string Statement<TRow>(TableWrite<TRow> write) => Statements.GetOrAdd(write, _ => Render(write));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<object, string> Statements = new();

    public static string TypeOf(ColumnType type, int width) => type switch
    {
        ColumnType.Text or ColumnType.Key => width > 0 ? $"nvarchar({width})" : "nvarchar(max)",
        ColumnType.Currency => "nchar(3)",
        ColumnType.Document => "nvarchar(max)",
        ColumnType.BigInt => "bigint",
        ColumnType.Int => "int",
        ColumnType.SmallInt => "smallint",
        ColumnType.Bool => "bit",
        ColumnType.Bytes => $"varchar({width * 2})",
        ColumnType.Time => "datetimeoffset(7)",
        ColumnType.Real => "float",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static string Render<TRow>(TableWrite<TRow> write)
    {
        var map = write.Map;
        var sent = map.Columns.Where(c => c.IsSent).ToList();
        var source = $"OPENJSON(@rows) WITH ({string.Join(", ", sent.Select(c => $"{c.Name} {TypeOf(c.Type, c.Width)}"))}) u";
        var stored = map.Columns.Where(c => c.IsStored).ToList();
        var insert = $"INSERT INTO {map.Table} ({TableWriteText.Names(stored)}) SELECT {string.Join(", ", stored.Select(Value))} FROM {source}";
        return write.Kind switch
        {
            WriteKind.Append or WriteKind.Insert => insert,
            WriteKind.InsertIfAbsent =>
                $"{insert} WHERE NOT EXISTS (SELECT 1 FROM {map.Table} o WITH (UPDLOCK, HOLDLOCK) WHERE " +
                $"{string.Join(" AND ", map.Keys.Select(k => $"o.{k.Name} = {Compared(k)}"))})",
            WriteKind.Update =>
                $"UPDATE t SET {TableWriteText.Assignments(write, Value, "1", "0")} FROM {map.Table} t JOIN {source} ON " +
                string.Join(" AND ", map.Keys.Select(k => $"t.{k.Name} = {Compared(k)}")) +
                (TableWriteText.Literals(write.Where, "1", "0") is { } where ? $" WHERE {Collated(map, where)}" : ""),
            _ => throw new ArgumentOutOfRangeException(nameof(write), write.Kind, null),
        };
    }

    private static string Value<TRow>(TableColumn<TRow> column) => column switch
    {
        { IsBatchTime: true } => "@at",
        { Type: ColumnType.Bytes } => $"CONVERT(varbinary({column.Width}), u.{column.Name}, 2)",
        _ => $"u.{column.Name}",
    };

    /// <summary>A sent value compared with a stored key: in the key's binary collation (a value read
    /// from JSON takes the database's default).</summary>
    private static string Compared<TRow>(TableColumn<TRow> column) =>
        column.Type is ColumnType.Key or ColumnType.Currency ? $"u.{column.Name} COLLATE Latin1_General_100_BIN2" : $"u.{column.Name}";

    private static string Collated<TRow>(TableMap<TRow> map, string condition) =>
        System.Text.RegularExpressions.Regex.Replace(condition, @"\bu\.(\w+)", m => Compared(map[m.Groups[1].Value]));
}
