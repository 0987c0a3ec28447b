using System.Security.Cryptography;
using Orian.Authorisation;
using Orian.Domain;
using Orian.Edge;
using Orian.Wire;

namespace Orian.Ledger;

/// <summary>One received version on its way into the ledger: what we parsed, the body as it will be
/// stored (card numbers masked), and the SHA-256 of the bytes exactly as received, which the
/// version rule compares. The request's buffer is not referenced once this is built.</summary>
public sealed class PendingEvent
{
    public PendingEvent(OrianEvent evt, ReadOnlySpan<byte> rawUtf8, DateTimeOffset receivedAt)
    {
        Event = evt;
        RawJson = CardNumbers.MaskJson(rawUtf8);
        PayloadHash = SHA256.HashData(rawUtf8);
        ReceivedAt = receivedAt;
        if (evt.Status == LifecycleStatus.AuthorisationRequested)
        {
            Ticket = new DecisionTicket();
            // The answer echoes the resource to the PPS that sent it, exactly as sent (its id may
            // look like a card number); only then does the original text outlive the request.
            AnswerUtf8 = rawUtf8.ToArray();
        }
    }

    /// <summary>The W3C <c>traceparent</c> of the traced request that brought this event, if any: the
    /// outbox events it causes carry it, so their deliveries join the request's trace.</summary>
    public string? TraceParent { get; set; }

    /// <summary>For an authorisation request: who answers it, the commit or the deadline.</summary>
    public DecisionTicket? Ticket { get; }

    public OrianEvent Event { get; }

    /// <summary>The body as stored and logged: the bytes received, with every string that is a card
    /// number masked to its first six and last four digits.</summary>
    public string RawJson { get; }

    /// <summary>For an authorisation request, the body exactly as received, for the answer.</summary>
    public byte[]? AnswerUtf8 { get; }

    public byte[] PayloadHash { get; }
    public DateTimeOffset ReceivedAt { get; }
}
