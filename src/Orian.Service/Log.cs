using Orian.Service.Diagnostics;

namespace Orian.Service;

/// <summary>Every log line the service writes, source-generated (no formatting unless enabled).
/// Every string that came from a client is an <see cref="Untrusted"/>: escaped, truncated, and with
/// card numbers masked when the line is written.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Ledger on {Provider}; schema at version {SchemaVersion}")]
    public static partial void StorageReady(ILogger logger, string provider, int schemaVersion);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Wrote {Count} stored secrets again under the current key ring (they were in clear or under the ring kept in the database)")]
    public static partial void SecretsProtected(ILogger logger, int count);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "The database host written to moved from {Previous} to {Current} (a failover)")]
    public static partial void WriterHostMoved(ILogger logger, string previous, string current);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "Writing to the database host {Current}")]
    public static partial void WriterHostFirst(ILogger logger, string current);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning, Message = "Lost the connection to the database (host {Host}); the pool is cleared and the next write reconnects")]
    public static partial void DatabaseLost(ILogger logger, string host);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Warning, Message = "Reconnected to the database host {Host}, {Milliseconds} ms after the connection was lost")]
    public static partial void DatabaseReconnected(ILogger logger, string host, long milliseconds);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Deleted the {Count} Data Protection keys kept in the database: the key ring now lives only in Orian:DataProtection:KeysFolder; back that folder up")]
    public static partial void DatabaseKeyRingDeleted(ILogger logger, int count);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "Re-keyed {Count} payload hashes stored as plain SHA-256 under key {KeyId}")]
    public static partial void PayloadHashesRekeyed(ILogger logger, long count, string keyId);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Information, Message = "Purged the stored bodies of {Count} versions received more than {RetentionDays} days ago")]
    public static partial void BodiesPurged(ILogger logger, long count, int retentionDays);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Error, Message = "Re-keying or purging stored bodies failed; trying again in 30 s")]
    public static partial void BodyMaintenanceFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "Partition {Partition} committed {Count} events in {ElapsedMs:0.00} ms")]
    public static partial void BatchCommitted(ILogger logger, int partition, int count, double elapsedMs);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Partition {Partition}: a batch of {Count} events failed; applying them one by one")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int partition, int count);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Partition {Partition}: transaction {TransactionId} version {Version} could not be committed")]
    public static partial void EventFailed(ILogger logger, Exception exception, int partition, Untrusted transactionId, long version);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Rejected transaction {PathId}: {Status} {Field}: {Reason}")]
    public static partial void Rejected(ILogger logger, Untrusted pathId, int status, string field, Untrusted reason);

    [LoggerMessage(EventId = 1208, Level = LogLevel.Warning, Message = "Authentication failed on {Surface} from {Source} ({Reason}); {Suppressed} more from this source were not logged in the last {IntervalSeconds} s")]
    public static partial void AuthFailed(ILogger logger, string surface, string source, string reason, long suppressed, int intervalSeconds);

    [LoggerMessage(EventId = 1600, Level = LogLevel.Warning, Message = "Sampling the database gauges failed; the previous sample stands until the next interval")]
    public static partial void SampleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Transaction {TransactionId} version {Version} (card {MaskedPan}) stored with flags {Flags}")]
    public static partial void Flagged(ILogger logger, Untrusted transactionId, long version, Untrusted maskedPan, string flags);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "Transaction {TransactionId} version {Version} leaves account {AccountNo} overdrawn")]
    public static partial void Overdrawn(ILogger logger, Untrusted transactionId, long version, Untrusted accountNo);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Transaction {TransactionId} version {Version}: {Reason}; answered 503")]
    public static partial void Unavailable(ILogger logger, Untrusted transactionId, long version, string reason);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Transaction {TransactionId} version {Version} conflicts with the version already applied")]
    public static partial void Conflict(ILogger logger, Untrusted transactionId, long version);

    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning, Message = "Authorisation {TransactionId} version {Version}: deadline passed; answered the stand-in ({Why})")]
    public static partial void StandIn(ILogger logger, Untrusted transactionId, long version, string why);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Authorisation {TransactionId} version {Version}: decision {Result} committed after the deadline; revoking it")]
    public static partial void DecisionTooLate(ILogger logger, Untrusted transactionId, long version, string result);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Authorisation {TransactionId} version {Version}: the decision was revoked before it could be confirmed; answered the stand-in")]
    public static partial void NotConfirmed(ILogger logger, Untrusted transactionId, long version);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Information, Message = "Reconciliation read {Read} unconfirmed decisions and revoked {Revoked}")]
    public static partial void Reconciled(ILogger logger, int read, int revoked);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Error, Message = "{Count} decisions could not be confirmed as their answers; their requests answer the stand-in, and each decision left unconfirmed is revoked")]
    public static partial void ConfirmationFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Error, Message = "Stand-in reconciliation failed; retrying at the next interval")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Error, Message = "Transaction {TransactionId} version {Version} cannot be applied ({Class}); answered {Status}")]
    public static partial void EventRefused(ILogger logger, Exception exception, Untrusted transactionId, long version, string @class, int status);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Error, Message = "Request {Method} {Path} failed ({Class}); answered {Status}")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, Untrusted path, string @class, int status);

    [LoggerMessage(EventId = 1400, Level = LogLevel.Error, Message = "Webhook dispatch ({Stage}) failed; retrying after the poll interval")]
    public static partial void DispatchFailed(ILogger logger, Exception exception, string stage);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Error, Message = "Recording {Count} delivery attempts failed; those deliveries are sent again (same webhook-id) when their leases run out")]
    public static partial void RecordFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Delivery of event {EventId} to endpoint {EndpointId} failed unexpectedly ({ExceptionType}); recorded as a failed attempt")]
    public static partial void DeliveryFault(ILogger logger, string eventId, string endpointId, string exceptionType);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Delivery of event {EventId} to endpoint {EndpointId}: the lease ran out before the attempt was recorded; another dispatcher owns it")]
    public static partial void LeaseLost(ILogger logger, string eventId, string endpointId);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} of event {EventId} to endpoint {EndpointId} dead-lettered after {Attempts} attempts: {Error}")]
    public static partial void DeadLettered(ILogger logger, long deliveryId, string eventId, string endpointId, int attempts, string error);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Warning, Message = "Endpoint {EndpointId}: circuit opened for {BreakMs} ms after {Cause}; its deliveries wait, neither claimed nor taken live")]
    public static partial void CircuitOpened(ILogger logger, string endpointId, long breakMs, string cause);

    [LoggerMessage(EventId = 1406, Level = LogLevel.Information, Message = "Endpoint {EndpointId}: circuit closed; its deliveries flow again")]
    public static partial void CircuitClosed(ILogger logger, string endpointId);

    [LoggerMessage(EventId = 1407, Level = LogLevel.Information, Message = "Purged {Count} settled outbox events created more than {RetentionDays} days ago, with their deliveries and attempt log")]
    public static partial void OutboxHistoryPurged(ILogger logger, long count, int retentionDays);

    [LoggerMessage(EventId = 1408, Level = LogLevel.Error, Message = "Purging the outbox's history failed; trying again in 30 s")]
    public static partial void OutboxHistoryPurgeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "Payments Orchestrator bearer token obtained; valid until {ExpiresAt:O}")]
    public static partial void OrchestratorToken(ILogger logger, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Payments Orchestrator refused the bearer token (401); getting a new one")]
    public static partial void OrchestratorTokenRefused(ILogger logger);
}
