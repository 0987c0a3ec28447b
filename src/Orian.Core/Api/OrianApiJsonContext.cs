using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orian.Api;

/// <summary>
/// Source-generated JSON for the API's bodies, used by the service to write them and by the operator CLI
/// to read them: no reflection at run time, and one spelling (snake_case) on both sides. The null rule of
/// the API: every member a response type declares is always written, <c>null</c> when it has no value,
/// so what the OpenAPI document lists is what a client receives (webhook payloads, whose bytes are
/// signed, are written by the outbox's own options).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(IngestResponse))]
[JsonSerializable(typeof(OrianAuthorisationAnswerModel))]
[JsonSerializable(typeof(OrianTransactionModel))]
[JsonSerializable(typeof(AccountResponse))]
[JsonSerializable(typeof(JournalPageResponse))]
[JsonSerializable(typeof(TransactionResponse))]
[JsonSerializable(typeof(ControlsResponse))]
[JsonSerializable(typeof(ControlsRequestModel))]
[JsonSerializable(typeof(EndpointRequestModel))]
[JsonSerializable(typeof(HoldRequestModel))]
[JsonSerializable(typeof(ApiKeyRequestModel))]
[JsonSerializable(typeof(InstructionLinkRequestModel))]
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
public sealed partial class OrianApiJsonContext : JsonSerializerContext;

/// <summary>The options a client reads and prints the API's bodies with.</summary>
public static class OrianApiJson
{
    /// <summary>
    /// How a client reads an answer: as the service writes it, and strictly. A member the type requires
    /// that is missing, or <c>null</c> where the type does not allow it, is an error rather than a
    /// default, so a client and a service that disagree about a shape find out at the first answer.
    /// </summary>
    public static JsonSerializerOptions Reading { get; } = new(OrianApiJsonContext.Default.Options)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>The same shapes written for people to read (the CLI's <c>--json</c>).</summary>
    public static JsonSerializerOptions Indented { get; } = new(OrianApiJsonContext.Default.Options) { WriteIndented = true };
}
