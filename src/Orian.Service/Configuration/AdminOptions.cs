namespace Orian.Service.Configuration;

/// <summary><c>Orian:Admin</c>: the operator API.</summary>
public sealed class AdminOptions
{
    public const string Section = "Orian:Admin";

    /// <summary>The key operators send as <c>X-Api-Key</c>. Required outside Development.</summary>
    public string? ApiKey { get; set; }
}
