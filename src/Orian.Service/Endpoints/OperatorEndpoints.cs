using Microsoft.AspNetCore.Http.HttpResults;
using Orian.Api;
using Orian.Domain;
using Orian.Outbox;
using Orian.Security;
using Orian.Service.Security;
using Orian.Storage;

namespace Orian.Service.Endpoints;

/// <summary>The operator API under <c>/v1</c> (an operator key or token with the role each endpoint names): accounts, their
/// journals, and transactions with every version received.</summary>
internal static class OperatorEndpoints
{
    public const int MaxPageSize = 1000;
    private const int DefaultPageSize = 100;

    public static void MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapOperatorGroup("/v1");
        var accounts = v1.WithTags("Accounts");
        accounts.MapGet("/accounts/{accountNo}", GetAccountAsync).WithName("GetAccount").Needs(OperatorRoles.AccountRead).ProducesProblem(StatusCodes.Status404NotFound);
        accounts.MapGet("/accounts/{accountNo}/journal", GetJournalAsync).WithName("GetJournal").Needs(OperatorRoles.AccountRead).ProducesProblem(StatusCodes.Status400BadRequest);
        accounts.MapGet("/accounts/{accountNo}/controls", GetControlsAsync).WithName("GetControls").Needs(OperatorRoles.AccountRead);
        accounts.MapPut("/accounts/{accountNo}/controls", PutControlsAsync).WithName("PutControls").Needs(OperatorRoles.AccountWrite)
            .Documents<ControlsRequestModel>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        accounts.MapGet("/accounts/{accountNo}/decisions", GetDecisionsAsync).WithName("GetDecisions").Needs(OperatorRoles.AccountRead).ProducesProblem(StatusCodes.Status400BadRequest);
        app.MapOperatorGroup("/v1").WithTags("Transactions")
            .MapGet("/transactions/{id}", GetTransactionAsync).WithName("GetTransaction").Needs(OperatorRoles.TransactionRead).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private const int MaxControlsBodyBytes = 64 * 1024;

    private static async Task<Ok<ControlsResponse>> GetControlsAsync(string accountNo, HttpContext context, IAuthorisationAdmin admin, CancellationToken cancellationToken)
    {
        accountNo = PathId.Of(context, accountNo);
        var row = await admin.GetControlsAsync(accountNo, cancellationToken);
        return row is null
            ? TypedResults.Ok(new ControlsResponse(accountNo, "ACTIVE", null, null, [], null)) // no controls set: the defaults apply
            : TypedResults.Ok(ToResponse(row));
    }

    private static async Task<Results<Ok<ControlsResponse>, ProblemHttpResult>> PutControlsAsync(string accountNo, HttpContext context, IAuthorisationAdmin admin, TimeProvider time, CancellationToken cancellationToken)
    {
        accountNo = PathId.Of(context, accountNo);
        var (document, problem) = await RequestBody.ReadJsonObjectAsync(context.Request, MaxControlsBodyBytes, cancellationToken);
        if (document is null)
        {
            return problem!;
        }

        using var _ = document;
        var (row, field, error) = ControlsRequest.Parse(accountNo, document.RootElement, time.GetUtcNow());
        if (row is null)
        {
            return Problems.InvalidField(field!, error!);
        }

        await admin.PutControlsAsync(row, OperatorIdentity.Of(context).At(time.GetUtcNow()), cancellationToken);
        return TypedResults.Ok(ToResponse(row));
    }

    private static async Task<Results<Ok<DecisionsResponse>, ProblemHttpResult>> GetDecisionsAsync(string accountNo, HttpContext context, IAuthorisationAdmin admin, CancellationToken cancellationToken, int limit = DefaultPageSize)
    {
        accountNo = PathId.Of(context, accountNo);
        if (limit is < 1 or > MaxPageSize)
        {
            return Problems.InvalidField("limit", $"'limit' must be between 1 and {MaxPageSize}.");
        }

        var rows = await admin.GetDecisionsAsync(accountNo, limit, cancellationToken);
        return TypedResults.Ok(new DecisionsResponse(accountNo, rows.Select(d => new DecisionModel(
            d.TransactionId,
            d.Version,
            d.Result,
            d.ResultDetail,
            d.ResultMessage,
            d.Reason,
            AmountModel.Of(d.Amount, d.Currency, d.Exponent ?? 0),
            AmountModel.Of(d.ApprovedAmount, d.Currency, d.Exponent ?? 0),
            d.HoldAmount,
            Math.Round(d.LatencyMs, 3),
            d.TimedOut,
            d.Revoked,
            d.DecidedAt)).ToList()));
    }

    private static ControlsResponse ToResponse(ControlsRow row) =>
        new(row.AccountNo, row.Status, row.MaxTransactionAmount, row.DailySpendLimit, row.Categories, row.UpdatedAt);

    private static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> GetAccountAsync(string accountNo, HttpContext context, ILedgerReader reader, CancellationToken cancellationToken)
    {
        accountNo = PathId.Of(context, accountNo);
        var account = await reader.GetAccountAsync(accountNo, cancellationToken);
        return account is null
            ? Problems.NotFound($"Account '{accountNo}'")
            : TypedResults.Ok(new AccountResponse(
                account.AccountNo, account.Currency, account.Exponent, account.Posted, account.Held, account.Available, account.Available < 0, account.CreatedAt, account.UpdatedAt));
    }

    private static async Task<Results<Ok<JournalPageResponse>, ProblemHttpResult>> GetJournalAsync(string accountNo, HttpContext context, ILedgerReader reader, CancellationToken cancellationToken, long after = 0, int limit = DefaultPageSize)
    {
        accountNo = PathId.Of(context, accountNo);
        if (limit is < 1 or > MaxPageSize)
        {
            return Problems.InvalidField("limit", $"'limit' must be between 1 and {MaxPageSize}.");
        }

        if (after < 0)
        {
            return Problems.InvalidField("after", "'after' must not be negative.");
        }

        var entries = await reader.GetJournalAsync(accountNo, after, limit, cancellationToken);
        var models = entries.Select(e => new JournalEntryModel(e.Id, e.TransactionId, e.Version, e.Kind, e.Amount, e.Currency, e.Exponent, e.CreatedAt)).ToList();
        long? next = entries.Count == limit ? entries[^1].Id : null;
        return TypedResults.Ok(new JournalPageResponse(accountNo, models, next));
    }

    private static async Task<Results<Ok<TransactionResponse>, ProblemHttpResult>> GetTransactionAsync(string id, HttpContext context, ILedgerReader reader, CancellationToken cancellationToken)
    {
        id = PathId.Of(context, id); // "a%2Fb" in the route is the id "a/b", as on ingress
        var found = await reader.GetTransactionAsync(id, cancellationToken);
        if (found is not { } row)
        {
            return Problems.NotFound($"Transaction '{id}'");
        }

        var s = row.State;
        var versions = await reader.GetVersionsAsync(id, MaxPageSize, cancellationToken);
        return TypedResults.Ok(new TransactionResponse(
            s.Id,
            s.Version,
            s.Status,
            s.Result,
            s.ResultDetail,
            s.Direction,
            s.TxnType,
            s.SchemeId,
            s.AccountNo,
            AmountModel.Of(s.Amount?.Minor, s.Amount?.Currency, s.Amount?.Exponent ?? 0),
            new EffectModel(s.Effect.AccountNo, s.Effect.Held, s.Effect.Posted, s.Effect.Currency, s.Effect.CounterAccount),
            s.Flags.ToNames(),
            SecureAuthModel.Of(s.SecureAuthResult),
            row.CreatedAt,
            row.UpdatedAt,
            versions.Select(v => new VersionModel(v.Version, v.Outcome, ((EventFlags)v.Flags).ToNames(), v.ReceivedAt)).ToList()));
    }
}
