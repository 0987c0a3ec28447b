using System.Security.Cryptography;
using Orian.Authorisation;
using Orian.Edge;
using Orian.Wire;

namespace Orian.Ledger;

/// <summary>One received version on its way into the ledger: what we parsed, the body as it will be
/// stored (<see cref="StoredBody"/>: card numbers masked, sensitive authentication data removed), and
/// the keyed hashes the version rule compares (<see cref="PayloadKeys"/>). The request's buffer is
/// not referenced once this is built, and neither the bytes as received nor their plain SHA-256 is
/// ever stored.</summary>
public sealed class PendingEvent
{
    private readonly PayloadKeys _keys;
    private readonly byte[] _digest;
    private readonly byte[] _redactionDigest;

    public PendingEvent(OrianEvent evt, ReadOnlySpan<byte> rawUtf8, DateTimeOffset receivedAt, PayloadKeys keys)
    {
        Event = evt;
        _keys = keys;
        var stored = StoredBody.Of(rawUtf8, evt.Id);
        RawJson = stored.Json;
        _digest = SHA256.HashData(rawUtf8);
        _redactionDigest = stored.RedactionDigest;
        PayloadKeyId = keys.CurrentId;
        PayloadHash = keys.Hash(_digest);
        RedactedHash = keys.Hash(_redactionDigest);
        ReceivedAt = receivedAt;
        if (evt.Status == Domain.LifecycleStatus.AuthorisationRequested)
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

    /// <summary>The body as stored: see <see cref="StoredBody"/>.</summary>
    public string RawJson { get; }

    /// <summary>For an authorisation request, the body exactly as received, for the answer.</summary>
    public byte[]? AnswerUtf8 { get; }

    /// <summary>HMAC-SHA256(<see cref="PayloadKeyId"/>'s key, SHA-256 of the bytes as received).</summary>
    public byte[] PayloadHash { get; }

    /// <summary>The key <see cref="PayloadHash"/> and <see cref="RedactedHash"/> are computed under.</summary>
    public string PayloadKeyId { get; }

    /// <summary>The keyed digest of what <see cref="StoredBody"/> masked or removed: two bodies
    /// stored alike are the same version only if this agrees too.</summary>
    public byte[] RedactedHash { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Whether a stored payload hash (under <paramref name="keyId"/>; null: a plain SHA-256
    /// not yet re-keyed) is this body's, byte for byte.</summary>
    public bool HasBytesOf(byte[] storedHash, string? keyId) =>
        keyId == PayloadKeyId ? CryptographicOperations.FixedTimeEquals(PayloadHash, storedHash) : _keys.Matches(_digest, storedHash, keyId);

    /// <summary>Whether a stored redaction hash (under <paramref name="keyId"/>) is this body's.</summary>
    public bool HasRedactionsOf(byte[] storedRedactedHash, string? keyId) =>
        keyId == PayloadKeyId ? CryptographicOperations.FixedTimeEquals(RedactedHash, storedRedactedHash)
            : keyId is not null && _keys.Matches(_redactionDigest, storedRedactedHash, keyId);
}
