/// <summary>The ORIAN v2 transaction the load generator's modes send: one account moved (the payer's for a
/// debit, the payee's for a credit), a merchant category, and the same amount in GBP as requested,
/// cardholder and final amount; <c>txn_result</c> only when a result is given.</summary>
internal static class OrianEvent
{
    public static string Json(string id, long version, string status, string direction, string accountNo, long amount, string? result)
    {
        var (mine, other) = direction == "CREDIT" ? ("payee", "payer") : ("payer", "payee");
        var txnResult = result is null ? "" : $",\"txn_result\":{{\"result\":\"{result}\"}}";
        var money = $"{{\"amount\":{amount},\"currency\":{{\"code\":\"GBP\",\"exponent\":2}}}}";
        return $"{{\"id\":\"{id}\",\"version\":{version},\"scheme_id\":\"MC\",\"txn_lifecycle_status\":\"{status}\"{txnResult}," +
            $"\"{mine}\":{{\"account\":{{\"account_no\":\"{accountNo}\"}}}},\"{other}\":{{\"acceptor\":{{\"category_auth\":\"5812\"}}}}," +
            $"\"txn_type\":{{\"code\":\"PURCHASE\",\"direction\":\"{direction}\",\"financial\":true}}," +
            $"\"authorisation\":{{\"txn_amounts\":{{\"requested_amount\":{money},\"cardholder_amount\":{money},\"cardholder_final_amount\":{money}}}}}}}";
    }
}
