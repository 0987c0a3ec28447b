namespace Orian.Security;

/// <summary>
/// The roles of Orian's operator API, one read and one write role per area after the Payments
/// Orchestrator's model: <c>orian-admin</c> may do everything (keys and the audit trail included); a
/// write role implies its area's read role; anything else must be held by name.
/// </summary>
public static class OperatorRoles
{
    public const string Admin = "orian-admin";
    public const string AccountRead = "orian-account-read";
    public const string AccountWrite = "orian-account-write";
    public const string TransactionRead = "orian-transaction-read";

    /// <summary>Retention holds on a transaction's stored bodies.</summary>
    public const string TransactionWrite = "orian-transaction-write";
    public const string WebhookRead = "orian-webhook-read";
    public const string WebhookWrite = "orian-webhook-write";
    public const string DeliveryRead = "orian-delivery-read";
    public const string DeliveryWrite = "orian-delivery-write";
    public const string LinkRead = "orian-link-read";
    public const string LinkWrite = "orian-link-write";

    /// <summary>The status view: queue depths, rates, latencies, backlog (no account or transaction data).</summary>
    public const string StatusRead = "orian-status-read";

    /// <summary>What the configured bootstrap key holds: it creates named admin keys and nothing else.
    /// It cannot be granted (it is not in <see cref="All"/>).</summary>
    public const string Bootstrap = "orian-bootstrap";

    public static readonly IReadOnlyList<string> All =
        [Admin, AccountRead, AccountWrite, TransactionRead, TransactionWrite, WebhookRead, WebhookWrite, DeliveryRead, DeliveryWrite, LinkRead, LinkWrite, StatusRead];

    /// <summary>Whether a key holding <paramref name="held"/> may do what needs <paramref name="required"/>.</summary>
    public static bool Satisfies(IEnumerable<string> held, string required)
    {
        foreach (var role in held)
        {
            if (role == Admin || role == required || (required.EndsWith("-read", StringComparison.Ordinal) && role == required[..^"-read".Length] + "-write"))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
