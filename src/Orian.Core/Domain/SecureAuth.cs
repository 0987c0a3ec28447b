namespace Orian.Domain;

/// <summary>
/// What a 3-D Secure result (<c>acceptance.txn_secure_auth_result</c>) means for a chargeback: who
/// carries the liability (the card issuer or the merchant), and the Mastercard indicators that prove
/// it: the AAV leading indicator, the security level indicator (SLI) and the exemption flag. The
/// table is ORIAN's own; a value it does not list is kept as sent with liability <c>UNKNOWN</c>.
/// </summary>
public sealed record SecureAuth(string Result, string Liability, string? AavLeadingIndicator, string Sli, string? ExemptionFlag)
{
    public const string Issuer = "ISSUER";
    public const string Merchant = "MERCHANT";
    public const string Unknown = "UNKNOWN";

    private static readonly Dictionary<string, SecureAuth> Table = new SecureAuth[]
    {
        new("FULLY_AUTHENTICATED_FRICTIONLESS", Issuer, "kA", "212", null),
        new("FULLY_AUTHENTICATED_CHALLENGE", Issuer, "kB", "212", null),
        new("FULLY_AUTHENTICATED", Issuer, "j", "212", null),
        new("AUTHENTICATION_ATTEMPT", Issuer, "kE", "211", null),
        new("AUTHENTICATION_ATTEMPT_STAND_IN", Issuer, "kF", "211", null),
        new("FULLY_AUTHENTICATED_STAND_IN", Issuer, "kC", "211", null),
        new("EXEMPT_LOW_VALUE_MERCHANT", Merchant, null, "210", "04"),
        new("EXEMPT_LOW_VALUE_AUTHENTICATED", Merchant, "kN", "216", "04"),
        new("RECURRING_TRANSACTION_AUTHENTICATED_FRICTIONLESS", Issuer, "kO", "217", null),
        new("RECURRING_TRANSACTION_AUTHENTICATED_CHALLENGE", Issuer, "kP", "217", null),
        new("EXEMPT_RECURRING_TRANSACTION_MERCHANT", Merchant, null, "210", "01 or 03"),
        new("EXEMPT_SECURE_CORP_PAYMENT_AUTHENTICATED", Merchant, "kN", "216", "06"),
        new("EXEMPT_RISK_ANALYSIS_MERCHANT", Merchant, null, "210", "02"),
        new("EXEMPT_RISK_ANALYSIS_AUTHENTICATED", Merchant, "kN", "216", "02"),
        new("AUTHENTICATION_OUTAGE", Merchant, null, "210", "07"),
        new("INSIGHTS_AUTHENTICATED", Merchant, "kX, kY, kZ", "214", null),
        new("AUTHENTICATED_ACQUIRER_SCA_EXEMPTION", Merchant, "kN, kU, kV, kW", "216", null),
    }.ToDictionary(s => s.Result, StringComparer.Ordinal);

    /// <summary>Every value ORIAN documents.</summary>
    public static IReadOnlyCollection<string> KnownResults => Table.Keys;

    public bool IsKnown => Liability != Unknown;

    /// <summary>The meaning of <paramref name="result"/>; an unlisted value keeps its text, liability UNKNOWN.</summary>
    public static SecureAuth Of(string result) =>
        Table.TryGetValue(result, out var known) ? known : new SecureAuth(result, Unknown, null, "", null);
}
