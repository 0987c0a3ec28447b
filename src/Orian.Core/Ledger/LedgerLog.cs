using Microsoft.Extensions.Logging;

namespace Orian.Ledger;

/// <summary>What the ledger logs: only what an operator must know (a batch run again, a commit in
/// doubt, a revocation). Source-generated: nothing is formatted unless the level is on. Transaction
/// ids here have passed the parser's identifier rule (printable ASCII, bounded length), so they
/// cannot break a line.</summary>
internal static partial class LedgerLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning,
        Message = "A ledger batch is run again (attempt {Attempt} of {MaxAttempts}) after {Reason}: {ExceptionType}: {Detail}")]
    public static partial void BatchRetried(ILogger logger, int attempt, int maxAttempts, string reason, string exceptionType, string detail);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "A ledger COMMIT failed; asked the database whether it happened: {Outcome}")]
    public static partial void CommitInDoubt(ILogger logger, Exception exception, string outcome);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "Revoked the committed decision on transaction {TransactionId} version {Version}: the request was answered with the stand-in ({Result} {Detail})")]
    public static partial void Revoked(ILogger logger, string transactionId, long version, string result, string detail);
}
