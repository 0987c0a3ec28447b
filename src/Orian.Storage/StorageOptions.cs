using System.ComponentModel.DataAnnotations;

namespace Orian.Storage;

/// <summary><c>Orian:Storage</c>: where the ledger lives.</summary>
public sealed class StorageOptions
{
    public const string Section = "Orian:Storage";

    /// <summary><c>sqlite</c> (default: a file created on first start) or <c>postgres</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>An ADO.NET connection string for the provider, e.g. <c>Data Source=data/orian.db</c>
    /// or <c>Host=127.0.0.1;Port=5432;Username=orian;Database=orian</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConnectionString { get; set; } = "Data Source=data/orian.db";
}
