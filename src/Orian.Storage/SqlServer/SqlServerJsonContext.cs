using System.Text.Json.Serialization;

namespace Orian.Storage.SqlServer;

[JsonSerializable(typeof(string[]))]
internal sealed partial class SqlServerJsonContext : JsonSerializerContext;
