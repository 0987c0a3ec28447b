using Orian.Ledger;

namespace Orian.Storage;

/// <summary>What operators read: accounts, journals, transactions and every version received.</summary>
public interface ILedgerReader
{
    Task<AccountRecord?> GetAccountAsync(string accountNo, CancellationToken cancellationToken);

    /// <summary>Journal lines of an account with <c>id &gt; afterId</c>, oldest first (keyset paging).</summary>
    Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string accountNo, long afterId, int limit, CancellationToken cancellationToken);

    Task<(TransactionState State, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)?> GetTransactionAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<VersionReceipt>> GetVersionsAsync(string transactionId, int limit, CancellationToken cancellationToken);

    /// <summary>Accounts whose available balance (posted less held) is below zero. A scan of the
    /// accounts table (an index on the condition would cost every balance update): the telemetry
    /// sampler reads it at its interval, not per request.</summary>
    Task<long> CountOverdrawnAsync(CancellationToken cancellationToken);

    /// <summary>Reaches the database and compares its schema with this build's scripts.</summary>
    Task<SchemaStatus> GetSchemaStatusAsync(CancellationToken cancellationToken);
}
