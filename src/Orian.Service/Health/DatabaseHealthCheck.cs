using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orian.Storage;

namespace Orian.Service.Health;

/// <summary>Ready means: the database answers, and its schema is the one this build expects.</summary>
internal sealed class DatabaseHealthCheck(ILedgerReader reader) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var schema = await reader.GetSchemaStatusAsync(timeout.Token);
            return schema.IsCurrent
                ? HealthCheckResult.Healthy($"schema {schema.Applied}/{schema.Expected}")
                : HealthCheckResult.Unhealthy($"schema {schema.Applied}/{schema.Expected}: not current");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("database unreachable", e);
        }
    }
}
