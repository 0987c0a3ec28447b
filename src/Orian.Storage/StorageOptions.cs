using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Orian.Storage;

/// <summary><c>Orian:Storage</c>: where the ledger lives.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Orian:Storage";

    /// <summary>The provider's name: <c>sqlite</c> (default: a file created on first start),
    /// <c>postgres</c> or <c>sqlserver</c> (<see cref="StorageServices.Providers"/>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Provider { get; set; } = "sqlite";

    /// <summary>An ADO.NET connection string for the provider, e.g. <c>Data Source=data/orian.db</c>,
    /// <c>Host=127.0.0.1;Port=5432;Username=orian;Database=orian</c> or
    /// <c>Server=tcp:db.example.net,1433;Database=orian;User ID=orian;Password=...;Encrypt=true</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConnectionString { get; set; } = "Data Source=data/orian.db";

    /// <summary>PostgreSQL only, optional: where the operator API's ledger reads go (accounts, journals,
    /// transactions, the overdrawn count), e.g. every node with <c>Target Session Attributes=prefer-standby</c>,
    /// so that operators' reading takes nothing from the primary. A standby may not yet have applied
    /// the last acknowledged events (docs/capacity.md); everything else stays on
    /// <see cref="ConnectionString"/>.</summary>
    public string? OperatorReadConnectionString { get; set; }

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!StorageServices.Providers.TryGetValue(Provider ?? "", out var provider))
        {
            yield return new($"{Section}:Provider (Orian__Storage__Provider) names no storage provider of this build; use one of "
                + $"{string.Join(", ", StorageServices.Providers.Keys.Order(StringComparer.Ordinal))}.");
        }
        else
        {
            if (!string.IsNullOrEmpty(ConnectionString) && provider.ConnectionStringProblem(ConnectionString) is { } problem)
            {
                yield return new($"{Section}:ConnectionString (env Orian__Storage__ConnectionString) is not one the {provider.Name} driver accepts: {problem}");
            }

            if (!string.IsNullOrWhiteSpace(OperatorReadConnectionString))
            {
                if (provider.Name != Postgres.PostgresProvider.ProviderName)
                {
                    yield return new($"{Section}:OperatorReadConnectionString is for the postgres provider only: {provider.Name} reads where it writes.");
                }
                else if (provider.ConnectionStringProblem(OperatorReadConnectionString) is { } readProblem)
                {
                    yield return new($"{Section}:OperatorReadConnectionString (env Orian__Storage__OperatorReadConnectionString) is not one the {provider.Name} driver accepts: {readProblem}");
                }
            }
        }
    }
}

[OptionsValidator]
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;
