using Microsoft.Extensions.Logging;

namespace Orian.Storage;

/// <summary>What storage logs itself (source-generated): a schema change. Races lost in a write are
/// reported by the ledger, which knows the batch is run again.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Applied schema script {Script} to the {Provider} database in {ElapsedMs:0} ms")]
    public static partial void ScriptApplied(ILogger logger, string provider, string script, double elapsedMs);
}
