using System.Security.Cryptography;
using Orian.Authorisation;
using Orian.Domain;
using Orian.Wire;

namespace Orian.Ledger;

/// <summary>One received version on its way into the ledger: what we parsed, and the exact bytes
/// (kept verbatim for operators and replays) with their SHA-256.</summary>
public sealed class PendingEvent
{
    public PendingEvent(OrianEvent evt, ReadOnlySpan<byte> rawUtf8, DateTimeOffset receivedAt)
    {
        Event = evt;
        RawJson = System.Text.Encoding.UTF8.GetString(rawUtf8);
        PayloadHash = SHA256.HashData(rawUtf8);
        ReceivedAt = receivedAt;
        Ticket = evt.Status == LifecycleStatus.AuthorisationRequested ? new DecisionTicket() : null;
    }

    /// <summary>For an authorisation request: who answers it, the commit or the deadline.</summary>
    public DecisionTicket? Ticket { get; }

    public OrianEvent Event { get; }
    public string RawJson { get; }
    public byte[] PayloadHash { get; }
    public DateTimeOffset ReceivedAt { get; }
}
