using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>
/// The Data Protection key ring kept in the ledger's own database (<c>data_protection_keys</c>), so
/// that every instance sharing the database reads and writes the same keys. The keys are XML as Data
/// Protection writes them; back them up with the database (losing them makes the stored webhook
/// secrets and API key private keys unreadable). Data Protection calls this rarely (at start-up and
/// when it rotates keys) and synchronously.
/// </summary>
public sealed class DatabaseKeyRing(SqlDatabase database) : IXmlRepository
{
    private const string SelectAll = "SELECT xml FROM data_protection_keys ORDER BY name";
    private const string Count = "SELECT count(*) FROM data_protection_keys";
    private const string DeleteAll = "DELETE FROM data_protection_keys";

    private readonly string _insert = database.Dialect.InsertIfAbsent("data_protection_keys", [("name", "@name"), ("xml", "@xml")], "name");

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.OpenAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return connection.Query<string>(SelectAll).Select(x => XElement.Parse(x)).ToList();
    }

    /// <summary>How many keys the database holds.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(Count, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Deletes every key from the database, once the ring lives elsewhere and nothing stored
    /// is encrypted under these keys any more.</summary>
    public async Task<int> DeleteAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(DeleteAll, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.OpenAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        connection.Execute(_insert, new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
