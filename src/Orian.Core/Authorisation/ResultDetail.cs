namespace Orian.Authorisation;

/// <summary>The <c>txn_result.result_detail</c> values this service answers with.</summary>
public static class ResultDetail
{
    public const string Successful = "SUCCESSFUL";
    public const string InsufficientFunds = "INSUFFICIENT_FUNDS";
    public const string AccountNotFound = "ACCOUNT_NOT_FOUND";
    public const string AccountBlocked = "ACCOUNT_BLOCKED";
    public const string LimitExceeded = "LIMIT_EXCEEDED";
    public const string MerchantBlocked = "MERCHANT_BLOCKED";
    public const string SystemError = "SYSTEM_ERROR";
}
