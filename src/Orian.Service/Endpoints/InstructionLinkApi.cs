using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Orian.Api;
using Orian.Edge;
using Orian.Orchestrator;
using Orian.Security;
using Orian.Service.Security;
using Orian.Storage;
using Orian.Wire;

namespace Orian.Service.Endpoints;

/// <summary>
/// Operators' links from ORIAN transactions to Payments Orchestrator instructions (requires
/// <c>X-Api-Key</c>): <c>PUT/GET/DELETE /v1/instruction-links/{transaction_id}</c>. A linked
/// transaction's status changes reach the instruction (see <c>docs/outbox.md</c>).
/// </summary>
internal static class InstructionLinkApi
{
    // The Payments Orchestrator's own metadata limits, so that a tenant can mirror an instruction's
    // metadata here: 50 keys, names of up to 40 characters, values of up to 500.
    public const int MaxMetadataEntries = 50;
    public const int MaxMetadataKey = 40;
    public const int MaxMetadataValue = 500;

    /// <summary>Room for a link with full metadata even if every character is sent as a six-byte
    /// <c>\uXXXX</c> escape (50 × (40 + 500) × 6 ≈ 160 KB), plus the references.</summary>
    private const int MaxBodyBytes = 256 * 1024;

    public static void MapInstructionLinkApi(this IEndpointRouteBuilder app)
    {
        var links = app.MapOperatorGroup("/v1/instruction-links").WithTags("Instruction links");
        links.MapPut("/{transactionId}", PutAsync).WithName("PutInstructionLink").Needs(OperatorRoles.LinkWrite)
            .Documents<InstructionLinkRequestModel>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        links.MapGet("/{transactionId}", GetAsync).WithName("GetInstructionLink").Needs(OperatorRoles.LinkRead).ProducesProblem(StatusCodes.Status404NotFound);
        links.MapDelete("/{transactionId}", DeleteAsync).WithName("DeleteInstructionLink").Needs(OperatorRoles.LinkWrite)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string transactionId, HttpContext context, IInstructionLinkStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        transactionId = PathId.Of(context, transactionId);
        return await store.DeleteLinkAsync(transactionId, OperatorIdentity.Of(context).At(time.GetUtcNow()), cancellationToken) switch
        {
            LinkDelete.Deleted => TypedResults.NoContent(),
            LinkDelete.AlreadyReported => Problems.Conflict(
                $"The link of transaction '{transactionId}' has reported a status to its instruction; it stays, so that the transaction cannot settle a second instruction."),
            _ => Problems.NotFound($"The link of transaction '{transactionId}'"),
        };
    }

    private static async Task<Results<Created<InstructionLinkResponse>, Ok<InstructionLinkResponse>, ProblemHttpResult>> PutAsync(
        string transactionId, HttpContext context, IInstructionLinkStore store, TimeProvider time, Orian.Service.Delivery.OutboxSignal signal, CancellationToken cancellationToken)
    {
        transactionId = PathId.Of(context, transactionId);
        var (document, problem) = await RequestBody.ReadJsonObjectAsync(context.Request, MaxBodyBytes, cancellationToken);
        if (document is null)
        {
            return problem!;
        }

        InstructionLinkRefs refs;
        using (document)
        {
            if (Parse(document.RootElement) is { } invalid)
            {
                return invalid;
            }

            var root = document.RootElement;
            var metadata = root.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m.GetRawText() : null;
            refs = new InstructionLinkRefs(root.GetProperty("order_ref").GetString()!, root.GetProperty("instruction_ref").GetString()!, metadata);
        }

        var written = await store.PutLinkAsync(transactionId, refs, OperatorIdentity.Of(context).At(time.GetUtcNow()), cancellationToken);
        switch (written.Conflict)
        {
            case LinkConflict.InstructionTaken:
                return Problems.Conflict(
                    $"Instruction '{refs.OrderRef}/{refs.InstructionRef}' is linked to another transaction; an instruction is settled by one transaction.");
            case LinkConflict.AlreadyReported:
                return Problems.Conflict(
                    $"Transaction '{transactionId}' has reported {written.Link.LastStatus} to instruction '{written.Link.OrderRef}/{written.Link.InstructionRef}'; its link cannot move.");
        }

        if (written.Queued is not null)
        {
            signal.RingDeliveries(); // an update is waiting for the dispatcher
            signal.Ring(); // and its event for the fan-out (tenants subscribed to instruction updates)
        }

        var response = ToResponse(written.Link, written.Queued, null);
        return written.Created
            ? TypedResults.Created($"/v1/instruction-links/{Uri.EscapeDataString(transactionId)}", response)
            : TypedResults.Ok(response);
    }

    /// <summary>A problem naming the first bad field, or null when the body is a valid link.</summary>
    private static ProblemHttpResult? Parse(JsonElement root)
    {
        foreach (var field in (ReadOnlySpan<string>)["order_ref", "instruction_ref"])
        {
            if (!root.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String || !InstructionStatus.IsValidReference(value.GetString()))
            {
                return Problems.InvalidField(field, $"'{field}' is required: 1 to 50 characters of a-z, A-Z, 0-9, '-', '_' and '.', not only dots.");
            }
        }

        if (!root.TryGetProperty("metadata", out var metadata) || metadata.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return Problems.InvalidField("metadata", "'metadata' must be an object of string values.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in metadata.EnumerateObject())
        {
            var field = $"metadata.{Diagnostics.Untrusted.Text(entry.Name)}";
            if (names.Count == MaxMetadataEntries)
            {
                return Problems.InvalidField(field, $"'metadata' holds at most {MaxMetadataEntries} keys; '{entry.Name}' would be key {MaxMetadataEntries + 1}.");
            }

            if (!names.Add(entry.Name))
            {
                return Problems.InvalidField(field, $"The metadata key '{entry.Name}' appears more than once.");
            }

            if (entry.Name.Length is 0 or > MaxMetadataKey || !TextRules.IsCleanText(entry.Name, MaxMetadataKey))
            {
                return Problems.InvalidField(field, $"A metadata key is 1 to {MaxMetadataKey} characters without control characters; this one has {entry.Name.Length}.");
            }

            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                return Problems.InvalidField(field, $"The value of metadata key '{entry.Name}' must be a string.");
            }

            if (!TextRules.IsCleanText(entry.Value.GetString(), MaxMetadataValue, allowLineBreaks: true))
            {
                return Problems.InvalidField(field,
                    $"The value of metadata key '{entry.Name}' must be at most {MaxMetadataValue} characters without control characters (line breaks allowed); it has {entry.Value.GetString()!.Length}.");
            }
        }

        return null;
    }

    private static async Task<Results<Ok<InstructionLinkResponse>, ProblemHttpResult>> GetAsync(string transactionId, HttpContext context, IInstructionLinkStore store, CancellationToken cancellationToken)
    {
        transactionId = PathId.Of(context, transactionId);
        if (await store.GetLinkAsync(transactionId, cancellationToken) is not { } link)
        {
            return Problems.NotFound($"The link of transaction '{transactionId}'");
        }

        var updates = await store.GetInstructionUpdatesAsync(transactionId, cancellationToken);
        return TypedResults.Ok(ToResponse(link, null, updates));
    }

    private static InstructionLinkResponse ToResponse(InstructionLinkRow link, string? queued, IReadOnlyList<InstructionUpdateRow>? updates) => new(
        link.TransactionId,
        link.OrderRef,
        link.InstructionRef,
        link.Metadata is null ? null : JsonSerializer.Deserialize(link.Metadata, OrianApiJsonContext.Default.DictionaryStringString),
        link.LastStatus,
        link.LastVersion,
        queued,
        link.CreatedAt,
        link.UpdatedAt,
        updates?.Select(u => new InstructionUpdateModel(
            u.DeliveryId, u.EventId, u.Version, u.Status, u.State, u.Attempts, u.LastStatus, u.LastError, u.CreatedAt, u.DeliveredAt)).ToList());
}
