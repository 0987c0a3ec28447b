namespace Orian.Outbox;

/// <summary>What of a webhook URL may be shown or recorded.</summary>
public static class WebhookUrl
{
    /// <summary>The URL without its user info (which an older build accepted at registration): never
    /// shown in an answer, a log or the audit trail, even for an endpoint registered with it.</summary>
    public static string WithoutUserInfo(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.UserInfo.Length > 0
            ? new UriBuilder(u) { UserName = "", Password = "" }.Uri.AbsoluteUri
            : url;
}
