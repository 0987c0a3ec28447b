using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Orian.Api;
using Orian.Edge;
using Orian.Security;
using Orian.Service.Security;
using Orian.Storage;

namespace Orian.Service.Endpoints;

/// <summary>
/// <c>/v1/transactions/{id}/holds</c>: keeps a transaction's stored bodies past the retention period
/// while a dispute, a shortfall's chargeback, a backtest or an investigation needs them. A hold is
/// placed and released by an operator (audited); an open shortfall (a version that left its account
/// overdrawn while the account still is) keeps its bodies without one.
/// </summary>
internal static class RetentionHoldApi
{
    private const int MaxNoteLength = 500;
    private const int MaxBodyBytes = 16 * 1024;

    public static void MapRetentionHoldApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapOperatorGroup("/v1");
        v1.MapGet("/transactions/{id}/holds", ListAsync).WithName("ListHolds").Needs(OperatorRoles.TransactionRead).WithTags("Retention holds");
        v1.MapPut("/transactions/{id}/holds/{reason}", PlaceAsync).WithName("PlaceHold").Needs(OperatorRoles.TransactionWrite).WithTags("Retention holds")
            .Documents<HoldRequestModel>(required: false).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        v1.MapDelete("/transactions/{id}/holds/{reason}", ReleaseAsync).WithName("ReleaseHold").Needs(OperatorRoles.TransactionWrite).WithTags("Retention holds")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapGet("/card-data", GetCardDataAsync).WithName("GetCardData").Needs(OperatorRoles.Admin).WithTags("Status");
    }

    /// <summary>What an operator checks before retiring a payload hash key: how many stored hashes
    /// each key id still holds, and how many are still plain SHA-256 (not yet re-keyed). Counts every
    /// version row: an occasional call, not a gauge.</summary>
    private static async Task<Ok<CardDataResponse>> GetCardDataAsync(
        StoredBodies bodies, Orian.Ledger.PayloadKeys keys, Microsoft.Extensions.Options.IOptions<Configuration.CardDataOptions> options, CancellationToken cancellationToken)
    {
        var byKey = await bodies.CountByKeyAsync(cancellationToken);
        var unkeyed = await bodies.CountUnkeyedAsync(cancellationToken);
        return TypedResults.Ok(new CardDataResponse(
            keys.CurrentId,
            [.. keys.KnownIds.Order(StringComparer.Ordinal)],
            byKey.ToDictionary(k => k.Key, k => k.Value),
            [.. byKey.Keys.Where(k => !keys.KnownIds.Contains(k)).Order(StringComparer.Ordinal)],
            unkeyed,
            options.Value.RetentionDays));
    }

    private static async Task<Ok<HoldListResponse>> ListAsync(string id, HttpContext context, StoredBodies bodies, CancellationToken cancellationToken)
    {
        id = PathId.Of(context, id);
        var holds = await bodies.ListHoldsAsync(id, cancellationToken);
        return TypedResults.Ok(new HoldListResponse(id, holds.Select(ToModel).ToList()));
    }

    private static async Task<Results<Ok<HoldModel>, ProblemHttpResult>> PlaceAsync(string id, string reason, HttpContext context, StoredBodies bodies, TimeProvider time, CancellationToken cancellationToken)
    {
        id = PathId.Of(context, id);
        if (Refusal(reason) is { } refusal)
        {
            return refusal;
        }

        string? note = null;
        if (context.Request.ContentLength is not 0)
        {
            var (document, problem) = await RequestBody.ReadJsonObjectAsync(context.Request, MaxBodyBytes, cancellationToken);
            if (document is null)
            {
                return problem!;
            }

            using var _ = document;
            if (document.RootElement.TryGetProperty("note", out var n) && n.ValueKind != JsonValueKind.Null)
            {
                if (n.ValueKind != JsonValueKind.String || !TextRules.IsCleanText(n.GetString(), MaxNoteLength, allowLineBreaks: true))
                {
                    return Problems.InvalidField("note", TextRules.Explain("note", MaxNoteLength, allowLineBreaks: true));
                }

                // A note is free text an operator types: a card number pasted into it is masked like any other.
                note = CardNumbers.Mask(n.GetString());
            }
        }

        var hold = await bodies.PlaceHoldAsync(id, reason, note, OperatorIdentity.Of(context).At(time.GetUtcNow()), cancellationToken);
        return TypedResults.Ok(ToModel(hold));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ReleaseAsync(string id, string reason, HttpContext context, StoredBodies bodies, TimeProvider time, CancellationToken cancellationToken)
    {
        id = PathId.Of(context, id);
        if (Refusal(reason) is { } refusal)
        {
            return refusal;
        }

        return await bodies.ReleaseHoldAsync(id, reason, OperatorIdentity.Of(context).At(time.GetUtcNow()), cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"A '{reason}' hold on transaction '{id}'");
    }

    private static ProblemHttpResult? Refusal(string reason) =>
        BodyHold.Reasons.Contains(reason, StringComparer.Ordinal)
            ? null
            : Problems.InvalidField("reason", $"'reason' must be one of {string.Join(", ", BodyHold.Reasons)}.");

    private static HoldModel ToModel(BodyHold h) => new(h.TransactionId, h.Reason, h.Note, h.PlacedBy, h.PlacedAt);
}
