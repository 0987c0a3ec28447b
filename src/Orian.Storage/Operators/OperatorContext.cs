namespace Orian.Storage;

/// <summary>Who makes an operator change, and when: written into the audit entry of the change.</summary>
/// <param name="KeyId">The API key's id; null for the bootstrap key of the configuration.</param>
public sealed record OperatorContext(string KeyId, string KeyName, DateTimeOffset At, string? TraceId);
