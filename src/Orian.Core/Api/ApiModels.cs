using Orian.Outbox;

namespace Orian.Api;

// The JSON the service answers with and the operator CLI reads: one definition of each, shared by both
// (snake_case, see OrianApiJsonContext). Amounts, currencies and 3-D Secure results are the outbox
// payloads' own models (Orian.Outbox). The request models describe bodies for the document; the
// endpoints read and check those bodies field by field.

/// <summary>The acknowledgement of a received version.</summary>
public sealed record IngestResponse(string Id, long Version, string Outcome, long CurrentVersion, string[]? Flags);

public sealed record AccountResponse(
    string AccountNo, string Currency, int Exponent, long Posted, long Held, long Available, bool Overdrawn, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record JournalEntryModel(
    long Id, string TransactionId, long Version, string Kind, long Amount, string Currency, int Exponent, DateTimeOffset CreatedAt);

public sealed record JournalPageResponse(string AccountNo, IReadOnlyList<JournalEntryModel> Entries, long? NextAfter);

public sealed record EffectModel(string? AccountNo, long Held, long Posted, string? Currency, string? CounterAccount);

public sealed record VersionModel(long Version, string Outcome, string[] Flags, DateTimeOffset ReceivedAt);

public sealed record TransactionResponse(
    string Id,
    long Version,
    string TxnLifecycleStatus,
    string? Result,
    string? ResultDetail,
    string? Direction,
    string? TxnType,
    string? SchemeId,
    string? AccountNo,
    AmountModel? Amount,
    EffectModel Effect,
    string[] Flags,
    SecureAuthModel? SecureAuth,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<VersionModel> Versions);

/// <summary>The body of <c>PUT /v1/accounts/{account_no}/controls</c>, as the document describes it (the
/// endpoint reads and checks it field by field). Amounts are minor units
/// of the account's currency; <c>status</c> is <c>ACTIVE</c> or <c>BLOCKED</c>; categories are four-digit
/// merchant category codes.</summary>
public sealed record ControlsRequestModel(
    string Status, long? MaxTransactionAmount = null, long? DailySpendLimit = null, IReadOnlyList<string>? BlockedMerchantCategories = null);

public sealed record ControlsResponse(
    string AccountNo, string Status, long? MaxTransactionAmount, long? DailySpendLimit, IReadOnlyList<string> BlockedMerchantCategories, DateTimeOffset? UpdatedAt);

public sealed record DecisionModel(
    string TransactionId,
    long Version,
    string Result,
    string ResultDetail,
    string? ResultMessage,
    string Reason,
    AmountModel? Amount,
    AmountModel? ApprovedAmount,
    long HoldAmount,
    double LatencyMs,
    bool TimedOut,
    bool Revoked,
    DateTimeOffset DecidedAt);

public sealed record DecisionsResponse(string AccountNo, IReadOnlyList<DecisionModel> Decisions);

/// <summary>The body of <c>POST /v1/webhook-endpoints</c>, as the document describes it (the endpoint reads
/// and checks it field by field): an absolute https URL, the event types wanted, an optional description.</summary>
public sealed record EndpointRequestModel(string Url, IReadOnlyList<string> Events, string? Description = null);

public sealed record EndpointResponse(
    string Id, string Url, IReadOnlyList<string> Events, string? Description, string Status, string? DisabledReason, DateTimeOffset CreatedAt,
    string? Secret);

public sealed record EndpointListResponse(IReadOnlyList<EndpointResponse> Endpoints);

/// <summary>One attempt of a delivery; <paramref name="LatencyMs"/> is absent for a first attempt that
/// delivered (recorded on the delivery alone: its latency is in the metrics and traces).</summary>
public sealed record AttemptModel(int Attempt, DateTimeOffset AttemptedAt, int? StatusCode, double? LatencyMs, string? Error);

public sealed record DeliveryResponse(
    long Id, string EventId, string EventType, string EndpointId, string State, int Attempts, DateTimeOffset? NextAttemptAt, int? LastStatus,
    string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt, IReadOnlyList<AttemptModel>? AttemptLog);

public sealed record DeliveryListResponse(IReadOnlyList<DeliveryResponse> Deliveries, long? NextAfter);

public sealed record RedriveResponse(int Redriven);

/// <param name="InstructionStatus">The last status queued for the instruction (null: none yet).</param>
/// <param name="InstructionStatusVersion">The transaction version that status came from.</param>
/// <param name="Queued">On a write: the status this write queued for the Orchestrator, if any.</param>
/// <param name="Updates">On a read: every update queued for the Orchestrator, and its delivery.</param>
public sealed record InstructionLinkResponse(
    string TransactionId, string OrderRef, string InstructionRef, Dictionary<string, string>? Metadata,
    string? InstructionStatus, long? InstructionStatusVersion, string? Queued, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<InstructionUpdateModel>? Updates);

public sealed record InstructionUpdateModel(
    long DeliveryId, string EventId, long Version, string Status, string State, int Attempts, int? LastStatusCode, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);

/// <summary>An API key as listed: never its private key.</summary>
public sealed record ApiKeyResponse(
    string Id, string Name, IReadOnlyList<string> Roles, string PublicKey, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt);

/// <summary>A key just created: the one time its private key is shown.</summary>
public sealed record ApiKeyCreatedResponse(
    string Id, string Name, IReadOnlyList<string> Roles, string PublicKey, string PrivateKey, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

public sealed record ApiKeyListResponse(IReadOnlyList<ApiKeyResponse> Keys);

/// <summary>The answer of the HMAC exchange, spelled as the Payments Orchestrator spells it.</summary>
public sealed record AccessTokenResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("accessToken")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires")] long Expires);

public sealed record AuditEntryModel(
    long Id, DateTimeOffset At, string? KeyId, string KeyName, string Action, string Target, System.Text.Json.JsonElement? Before,
    System.Text.Json.JsonElement? After, string? TraceId);

public sealed record AuditPageResponse(IReadOnlyList<AuditEntryModel> Entries, long? Next);

/// <summary>The outbox backlog. <c>in_flight</c>: pending deliveries a dispatcher holds a lease on.</summary>
public sealed record DeliveryStatsResponse(
    long EventsNotFannedOut, long Pending, long InFlight, long Dead, long Delivered, double? OldestPendingAgeSeconds, IReadOnlyList<EndpointStatsModel> Endpoints);

public sealed record EndpointStatsModel(
    string EndpointId, string Kind, long Pending, long InFlight, long Dead, long Delivered, double? OldestPendingAgeSeconds);

/// <summary>The status view: what is happening now. Rates and latencies are over the last minute
/// (<c>window_seconds</c>, shorter just after start); the outbox and accounts are read from the
/// database at <c>at</c>, and are absent when it cannot be reached.</summary>
public sealed record StatusResponse(
    DateTimeOffset At, string Instance, DatabaseStatusModel Database, IReadOnlyList<PartitionStatusModel> Partitions,
    EventRatesModel Events, DecisionStatsModel Decisions, OutboxStatusModel? Outbox, long? AccountsOverdrawn);

/// <param name="Host">The host written to (<c>host:port</c>; null where the provider has none, or before the first write).</param>
/// <param name="HostSince">When writes first went to <paramref name="Host"/>: a failover moves it.</param>
public sealed record DatabaseStatusModel(string Provider, bool Reachable, double? LatencyMs, string? Error, string? Host, DateTimeOffset? HostSince);

public sealed record PartitionStatusModel(int Partition, int Authorisations, int Notifications);

public sealed record EventRatesModel(
    double WindowSeconds, double PerSecond, long Applied, long Duplicate, long Stale, long Conflict, long Rejected);

public sealed record DecisionStatsModel(long Count, long StandIns, double? P50Ms, double? P99Ms);

/// <param name="CountedUpTo">Where the counts of events not fanned out, pending and dead stop: a count
/// equal to it means at least that many (the oldest pending age is exact; the deliveries' stats count
/// everything).</param>
public sealed record OutboxStatusModel(
    long EventsNotFannedOut, long Pending, double? OldestPendingAgeSeconds, long Dead, long DeliveredLastMinute, double? LagP50Ms, double? LagP99Ms,
    long CountedUpTo);

/// <summary>The optional body of <c>PUT /v1/transactions/{id}/holds/{reason}</c>: a note of why.</summary>
public sealed record HoldRequestModel(string? Note = null);

/// <summary>The body of <c>POST /v1/api-keys</c>: a name, the roles, and an optional expiry (a future time).</summary>
public sealed record ApiKeyRequestModel(string Name, IReadOnlyList<string> Roles, DateTimeOffset? ExpiresAt = null);

/// <summary>The body of <c>PUT /v1/instruction-links/{transaction_id}</c>: the Orchestrator's order and
/// instruction references (1 to 50 characters of a-z, A-Z, 0-9, '-', '_', '.'), and string metadata.</summary>
public sealed record InstructionLinkRequestModel(string OrderRef, string InstructionRef, IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>A retention hold as the API shows it.</summary>
public sealed record HoldModel(string TransactionId, string Reason, string? Note, string? PlacedBy, DateTimeOffset PlacedAt);

public sealed record HoldListResponse(string TransactionId, List<HoldModel> Holds);

/// <summary><c>GET /v1/card-data</c>: the payload hash keys and what the stored hashes are under.</summary>
/// <param name="UnknownKeyIds">Key ids stored hashes are under that this instance is not configured
/// with: a re-sent version hashed under one is answered as a conflict.</param>
public sealed record CardDataResponse(
    string CurrentKeyId, List<string> ConfiguredKeyIds, Dictionary<string, long> VersionsByKeyId, List<string> UnknownKeyIds, long UnkeyedRows,
    int RetentionDays);
