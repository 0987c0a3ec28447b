using System.Globalization;
using System.Text;
using Orian.Delivery;
using Orian.Security;
using Orian.Storage;

namespace Orian.Service.Delivery;

/// <summary>One way a delivery leaves, chosen by its destination's kind. A sender only sends: the
/// timeout, the circuit breaker and what the answer means belong to <see cref="DeliveryAttempts"/>.</summary>
internal interface IDeliverySender
{
    /// <summary>The destination kind it serves (<see cref="Destinations"/>).</summary>
    string Kind { get; }

    /// <summary>Whether a <c>410 Gone</c> retires the endpoint (a tenant's may; the Orchestrator's not).</summary>
    bool Retires { get; }

    Task<HttpResponseMessage> SendAsync(ClaimedDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>A tenant's webhook: <c>POST</c> of the event, signed in the Standard Webhooks format (both
/// secrets' signatures during a rotation). The client's handler refuses internal addresses at connect
/// time and follows no redirect; the answer's headers decide, no body is read.</summary>
internal sealed class WebhookSender(HttpClient client, TimeProvider time) : IDeliverySender
{
    public string Kind => Destinations.Webhook;

    public bool Retires => true;

    public Task<HttpResponseMessage> SendAsync(ClaimedDelivery delivery, CancellationToken cancellationToken) =>
        client.SendAsync(Request(delivery), HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    private HttpRequestMessage Request(ClaimedDelivery delivery)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        var now = time.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        var signature = StandardWebhookSignature.Sign(StandardWebhookSignature.KeyFromSecret(delivery.Secret), delivery.EventId, timestamp, body);
        if (delivery.PreviousSecret is { } previous && delivery.PreviousSecretExpiresAt > now)
        {
            // During a rotation both signatures go out: receivers with either secret can verify.
            signature += " " + StandardWebhookSignature.Sign(StandardWebhookSignature.KeyFromSecret(previous), delivery.EventId, timestamp, body);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("webhook-id", delivery.EventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signature);
        return request;
    }
}

/// <summary>An instruction update for the Payments Orchestrator, through its client (token exchange,
/// the instruction's status call).</summary>
internal sealed class OrchestratorSender(OrchestratorClient orchestrator) : IDeliverySender
{
    public string Kind => Destinations.Orchestrator;

    public bool Retires => false;

    public Task<HttpResponseMessage> SendAsync(ClaimedDelivery delivery, CancellationToken cancellationToken) =>
        orchestrator.SendUpdateAsync(delivery, cancellationToken);
}
