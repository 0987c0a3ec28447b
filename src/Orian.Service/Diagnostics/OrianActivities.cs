using System.Diagnostics;

namespace Orian.Service.Diagnostics;

/// <summary>
/// The service's spans, on one <see cref="ActivitySource"/> named <c>Orian</c>. A span is made only
/// when something listens (an exporter, a test), so the hot path pays one check otherwise.
/// <list type="bullet">
/// <item><c>orian.receive</c>: one ORIAN request, a child of the incoming <c>traceparent</c> (ASP.NET
/// Core continues it).</item>
/// <item><c>orian.batch</c>: one ledger commit, linked to the <c>orian.receive</c> span of every event
/// it commits (a batch serves many requests, so links, not a parent); <c>orian.deliveries</c>: the
/// deliveries its fan-out queued.</item>
/// <item><c>orian.fanout</c> and <c>orian.deliver</c>: the outbox (the fan-out loop now serves only
/// instruction updates a link write queued and events an older build wrote); each delivery attempt
/// carries the event id and transaction id, and its request sends the span as <c>traceparent</c>.</item>
/// </list>
/// </summary>
internal static class OrianActivities
{
    public const string SourceName = "Orian";

    public static readonly ActivitySource Source = new(SourceName, typeof(OrianActivities).Assembly.GetName().Version?.ToString());

    public const string TransactionId = "orian.transaction_id";
    public const string Version = "orian.version";
    public const string EventId = "orian.event_id";
}
