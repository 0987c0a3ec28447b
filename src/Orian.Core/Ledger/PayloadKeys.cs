using System.Security.Cryptography;

namespace Orian.Ledger;

/// <summary>
/// The keys the version rule hashes received bodies under. A stored payload hash is
/// HMAC-SHA256(key, SHA-256(body as received)) with the key's id beside it, so that nothing stored
/// lets anyone without the key test a guess at a body (a card number's missing middle digits, say)
/// against it. New hashes use <see cref="CurrentId"/>; hashes stored under an earlier key are still
/// compared while that key is configured. The key itself is never in the database.
/// </summary>
/// <remarks>
/// Why HMAC over the SHA-256 and not over the bytes: rows written before hashes were keyed hold the
/// plain SHA-256, and re-keying them needs nothing but that value (<c>HMAC(key, stored)</c>), so the
/// migration is exact and a migrated row compares with a new arrival exactly as a new row does.
/// </remarks>
public sealed class PayloadKeys
{
    /// <summary>The shortest key accepted, in bytes.</summary>
    public const int MinKeyBytes = 32;

    /// <summary>The longest key id, in characters (letters, digits, '.', '_' and '-').</summary>
    public const int MaxKeyIdLength = 32;

    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private readonly byte[] _nothingRedacted;
    private readonly ThreadLocal<IncrementalHash> _hmac;

    public PayloadKeys(string currentId, byte[] currentKey, IEnumerable<(string Id, byte[] Key)>? previous = null)
    {
        if (Problem(currentId, currentKey) is { } problem)
        {
            throw new ArgumentException(problem, nameof(currentKey));
        }

        CurrentId = currentId;
        _nothingRedacted = HMACSHA256.HashData(currentKey, Edge.StoredBody.NothingRedacted);
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, currentKey));
        _keys[currentId] = currentKey;
        foreach (var (id, key) in previous ?? [])
        {
            if (Problem(id, key) is { } p)
            {
                throw new ArgumentException(p, nameof(previous));
            }

            if (!_keys.TryAdd(id, key))
            {
                throw new ArgumentException($"The payload hash key id '{id}' is configured twice.", nameof(previous));
            }
        }
    }

    /// <summary>The id stored with every new hash.</summary>
    public string CurrentId { get; }

    /// <summary>The key ids this process can compare hashes under.</summary>
    public IReadOnlyCollection<string> KnownIds => _keys.Keys;

    /// <summary>
    /// The key for Development only: a fixed, published value that protects nothing. Outside
    /// Development a key must be configured; the service refuses to start without one.
    /// </summary>
    public static PayloadKeys Development { get; } = new("dev", SHA256.HashData("orian development payload hash key: not a secret"u8));

    /// <summary>Why a key id and key cannot be used, or null.</summary>
    public static string? Problem(string? id, byte[]? key)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxKeyIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            return $"A payload hash key id must be 1 to {MaxKeyIdLength} letters, digits, '.', '_' or '-'.";
        }

        return key is null || key.Length < MinKeyBytes ? $"The payload hash key '{id}' must be at least {MinKeyBytes} bytes (Base64)." : null;
    }

    /// <summary>HMAC-SHA256 of <paramref name="digest"/> under the current key.</summary>
    public byte[] Hash(ReadOnlySpan<byte> digest)
    {
        // Most bodies have nothing redacted: that digest's hash is computed once per key.
        if (digest.SequenceEqual(Edge.StoredBody.NothingRedacted))
        {
            return _nothingRedacted;
        }

        // One keyed instance per thread: a one-shot HMAC sets its key up on every call, which costs
        // more than hashing the 32 bytes.
        var hmac = _hmac.Value!;
        hmac.AppendData(digest);
        return hmac.GetHashAndReset();
    }

    /// <summary>HMAC-SHA256 of <paramref name="digest"/> under the key <paramref name="keyId"/>; false
    /// when no such key is configured.</summary>
    public bool TryHash(string keyId, ReadOnlySpan<byte> digest, out byte[] hash)
    {
        if (_keys.TryGetValue(keyId, out var key))
        {
            hash = HMACSHA256.HashData(key, digest);
            return true;
        }

        hash = [];
        return false;
    }

    /// <summary>Whether <paramref name="stored"/> (hashed under <paramref name="keyId"/>, or a plain
    /// SHA-256 when <paramref name="keyId"/> is null: a row not yet re-keyed) is the hash of a value
    /// whose SHA-256 is <paramref name="digest"/>. Under a key no longer configured: false.</summary>
    public bool Matches(ReadOnlySpan<byte> digest, byte[] stored, string? keyId)
    {
        if (keyId is null)
        {
            return CryptographicOperations.FixedTimeEquals(digest, stored);
        }

        return TryHash(keyId, digest, out var hash) && CryptographicOperations.FixedTimeEquals(hash, stored);
    }
}
