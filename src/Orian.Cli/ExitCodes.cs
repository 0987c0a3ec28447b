namespace Orian.Cli;

/// <summary>What <c>orian</c> returns, for scripts.</summary>
public static class ExitCodes
{
    /// <summary>Everything was sent and accepted (or, for a dry run, is valid).</summary>
    public const int Ok = 0;

    /// <summary>The service rejected at least one event, or one could not be delivered.</summary>
    public const int Rejected = 1;

    /// <summary>The input is wrong (a file that cannot be read or parsed, a bad option); nothing was sent.</summary>
    public const int InvalidInput = 2;

    /// <summary>The service could not be reached, failed (5xx), refused the credentials, or answered in a
    /// shape this CLI does not read (a CLI of another version).</summary>
    public const int Unreachable = 3;

    /// <summary>The account, transaction or delivery asked for does not exist.</summary>
    public const int NotFound = 4;

    /// <summary>Stopped by Ctrl-C (a partial summary was printed).</summary>
    public const int Interrupted = 130;
}
