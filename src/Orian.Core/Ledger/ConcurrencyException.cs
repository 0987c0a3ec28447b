namespace Orian.Ledger;

/// <summary>A conditional write matched fewer rows than expected: another writer got there first.
/// The batch is rolled back and tried again from a fresh read.</summary>
public sealed class ConcurrencyException(string message) : Exception(message);
