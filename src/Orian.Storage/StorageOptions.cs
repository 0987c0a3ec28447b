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

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!StorageServices.Providers.TryGetValue(Provider ?? "", out var provider))
        {
            yield return new($"{Section}:Provider (Orian__Storage__Provider) names no storage provider of this build; use one of "
                + $"{string.Join(", ", StorageServices.Providers.Keys.Order(StringComparer.Ordinal))}.");
        }
        else if (!string.IsNullOrEmpty(ConnectionString) && provider.ConnectionStringProblem(ConnectionString) is { } problem)
        {
            yield return new($"{Section}:ConnectionString (env Orian__Storage__ConnectionString) is not one the {provider.Name} driver accepts: {problem}");
        }
    }
}

[OptionsValidator]
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;
