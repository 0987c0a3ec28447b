using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Orian.Service.Endpoints;

/// <summary>Source-generated JSON for every response body: no reflection at run time. The null rule of
/// the API: every member a response type declares is always written, <c>null</c> when it has no value,
/// so what the OpenAPI document lists is what a client receives (webhook payloads, whose bytes are
/// signed, are written by the outbox's own options).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(IngestResponse))]
[JsonSerializable(typeof(AccountResponse))]
[JsonSerializable(typeof(JournalPageResponse))]
[JsonSerializable(typeof(TransactionResponse))]
[JsonSerializable(typeof(ControlsResponse))]
[JsonSerializable(typeof(ControlsRequestModel))]
[JsonSerializable(typeof(EndpointRequestModel))]
[JsonSerializable(typeof(HoldRequestModel))]
[JsonSerializable(typeof(ApiKeyRequestModel))]
[JsonSerializable(typeof(InstructionLinkRequestModel))]
[JsonSerializable(typeof(OrianTransactionModel))]
[JsonSerializable(typeof(DecisionsResponse))]
[JsonSerializable(typeof(EndpointResponse))]
[JsonSerializable(typeof(EndpointListResponse))]
[JsonSerializable(typeof(DeliveryResponse))]
[JsonSerializable(typeof(DeliveryListResponse))]
[JsonSerializable(typeof(RedriveResponse))]
[JsonSerializable(typeof(InstructionLinkResponse))]
[JsonSerializable(typeof(ApiKeyResponse))]
[JsonSerializable(typeof(ApiKeyCreatedResponse))]
[JsonSerializable(typeof(ApiKeyListResponse))]
[JsonSerializable(typeof(AccessTokenResponse))]
[JsonSerializable(typeof(AuditPageResponse))]
[JsonSerializable(typeof(DeliveryStatsResponse))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(HoldModel))]
[JsonSerializable(typeof(HoldListResponse))]
[JsonSerializable(typeof(CardDataResponse))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
internal sealed partial class OrianJsonContext : JsonSerializerContext;
