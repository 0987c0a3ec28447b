using System.Data.Common;
using System.Text.RegularExpressions;

namespace Orian.Storage.Sql;

/// <summary>How a provider says why its driver refused a connection string: the driver's own reason,
/// with every password in the string masked (the value of a password key as parsed, and whatever follows
/// "password=" up to the next ';' as written, since a malformed string may hide one inside another
/// key's value, which a driver then quotes), or only the kind of failure when the string cannot even be
/// read as keys and values.</summary>
internal static partial class ConnectionStringProblems
{
    private static readonly string[] SecretKeys = ["password", "pwd"];

    public static string Of(Exception refusal, string connectionString)
    {
        DbConnectionStringBuilder parsed;
        try
        {
            parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"it cannot be read as keyword=value pairs ({refusal.GetType().Name})";
        }

        var reason = refusal.Message;
        foreach (Match written in WrittenSecret().Matches(connectionString))
        {
            if (written.Groups[1].Value.Trim() is { Length: > 0 } secret)
            {
                reason = reason.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        foreach (string key in parsed.Keys)
        {
            if (SecretKeys.Any(s => key.Contains(s, StringComparison.OrdinalIgnoreCase)) && parsed[key]?.ToString() is { Length: > 0 } secret)
            {
                reason = reason.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return reason;
    }

    [GeneratedRegex(@"(?:password|pwd)\s*=([^;]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WrittenSecret();

    /// <summary>What every provider's <see cref="ISqlProvider.ConnectionStringProblem"/> does: hands
    /// <paramref name="connectionString"/> to its driver's <paramref name="read"/> (which connects to
    /// nothing) and gives null when the driver takes it, or the driver's reason, masked, when it refuses it.
    /// A refusal is anything but running out of memory: drivers throw argument, format, key and operation
    /// errors, not all documented.</summary>
    public static string? Check(string connectionString, Action<string> read)
    {
        try
        {
            read(connectionString);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Of(e, connectionString);
        }
    }
}
