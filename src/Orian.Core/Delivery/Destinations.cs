namespace Orian.Delivery;

/// <summary>Where a delivery goes, as stored in <c>webhook_endpoints.kind</c>: a tenant's webhook, or
/// the Payments Orchestrator's instruction API (its one endpoint, <see cref="FanOut.OrchestratorEndpointId"/>).</summary>
public static class Destinations
{
    public const string Webhook = "webhook";
    public const string Orchestrator = "orchestrator";
}
