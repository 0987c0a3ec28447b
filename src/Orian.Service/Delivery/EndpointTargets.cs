using System.Collections.Concurrent;
using Orian.Storage;

namespace Orian.Service.Delivery;

/// <summary>
/// What the live path sends with, per endpoint: its address and secrets (decrypted, in memory only),
/// read once and kept while the endpoint is unchanged. A batch hands over each delivery with the
/// endpoint's <c>updated_at</c> as it read it; a different one (a secret rotated, say) reads the
/// endpoint again, so a delivery is never signed with a secret older than its batch saw.
/// </summary>
internal sealed class EndpointTargets(IOutboxQueue store)
{
    /// <summary>Endpoints kept at most: beyond, the map starts afresh.</summary>
    private const int MaxKept = 10_000;

    private readonly ConcurrentDictionary<string, EndpointTarget> _kept = new(StringComparer.Ordinal);

    /// <summary>Fills in where and how <paramref name="delivery"/> is sent; false when its endpoint is
    /// no longer enabled.</summary>
    public async Task<bool> FillAsync(ClaimedDelivery delivery, DateTimeOffset? version, CancellationToken cancellationToken)
    {
        if (!_kept.TryGetValue(delivery.EndpointId, out var target) || version is null || target.UpdatedAt < version)
        {
            target = await store.GetTargetAsync(delivery.EndpointId, cancellationToken);
            if (target is null)
            {
                _kept.TryRemove(delivery.EndpointId, out _);
                return false;
            }

            if (_kept.Count >= MaxKept)
            {
                _kept.Clear();
            }

            _kept[delivery.EndpointId] = target;
        }

        delivery.Url = target.Url;
        delivery.Secret = target.Secret;
        delivery.PreviousSecret = target.PreviousSecret;
        delivery.PreviousSecretExpiresAt = target.PreviousSecretExpiresAt;
        return true;
    }
}
