using System.ComponentModel.DataAnnotations;
using Orian.Configuration;
using Orian.Ledger;

namespace Orian.Service.Configuration;

/// <summary><c>Orian:CardData</c>: the key stored payload hashes are computed under, and how long
/// received bodies are kept (docs/edge.md, "Card data").</summary>
public sealed class CardDataOptions : IValidatableObject, IDevelopmentAware
{
    public const string Section = "Orian:CardData";

    private bool _development;

    bool IDevelopmentAware.Development { get => _development; set => _development = value; }

    /// <summary>The id stored with every new payload hash (letters, digits, '.', '_', '-'; at most 32).
    /// Default <c>k1</c>.</summary>
    public string HashKeyId { get; set; } = "k1";

    /// <summary>The HMAC key, Base64, at least 32 bytes. Required outside Development; never stored in
    /// the database. In Development, when unset, a fixed published key is used (id <c>dev</c>).</summary>
    public string? HashKey { get; set; }

    /// <summary>Keys hashes were stored under before the current one (<c>..__PreviousHashKeys__0__KeyId</c>,
    /// <c>..__0__Key</c>): kept for comparing re-sent versions until no stored hash is under them.</summary>
    public List<PreviousHashKey> PreviousHashKeys { get; set; } = [];

    /// <summary>Bodies of versions received longer ago than this are purged (hashes, outcomes and
    /// ledger rows stay). Default 400 days: the longest chargeback window of the card schemes (540
    /// days for some disputes) is covered by holds; 400 covers a year's reconciliation and audit.
    /// 0 turns purging off.</summary>
    [Range(0, 36_500)]
    public int RetentionDays { get; set; } = 400;

    /// <summary>Rows per re-keying or purging transaction. Default 200: each is a short write.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>How often the purge runs. Default one hour.</summary>
    [Range(1, 7 * 24 * 3600)]
    public int PurgeIntervalSeconds { get; set; } = 3600;

    /// <summary>The keys, as <see cref="PayloadKeys"/>; null when none is configured.</summary>
    public PayloadKeys? Keys()
    {
        if (string.IsNullOrEmpty(HashKey))
        {
            return null;
        }

        return new PayloadKeys(HashKeyId, Decode(HashKey), PreviousHashKeys.Select(p => (p.KeyId ?? "", Decode(p.Key))));
    }

    internal static byte[] Decode(string? base64)
    {
        var buffer = new byte[base64?.Length ?? 0];
        return base64 is not null && Convert.TryFromBase64String(base64, buffer, out var written) ? buffer[..written] : [];
    }

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(HashKey))
        {
            if (!_development)
            {
                yield return new("Orian:CardData:HashKey (env Orian__CardData__HashKey) is required outside Development: "
                    + $"a Base64 key of at least {PayloadKeys.MinKeyBytes} bytes (openssl rand -base64 32).");
            }
        }
        else if (PayloadKeys.Problem(HashKeyId, Decode(HashKey)) is { } problem)
        {
            yield return new($"Orian:CardData:HashKeyId / HashKey: {problem}");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal) { HashKeyId };
        for (var i = 0; i < PreviousHashKeys.Count; i++)
        {
            var previous = PreviousHashKeys[i];
            if (PayloadKeys.Problem(previous.KeyId, Decode(previous.Key)) is { } problem)
            {
                yield return new($"Orian:CardData:PreviousHashKeys:{i}: {problem}");
            }
            else if (!ids.Add(previous.KeyId!))
            {
                yield return new($"Orian:CardData:PreviousHashKeys:{i}: the key id '{previous.KeyId}' is configured twice.");
            }
        }
    }
}

/// <summary>One earlier payload hash key.</summary>
public sealed class PreviousHashKey
{
    public string? KeyId { get; set; }
    public string? Key { get; set; }
}
