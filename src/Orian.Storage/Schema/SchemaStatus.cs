namespace Orian.Storage;

/// <summary>How far a database's schema is from the scripts this build carries.</summary>
public sealed record SchemaStatus(int Applied, int Expected)
{
    public bool IsCurrent => Applied == Expected;
}
