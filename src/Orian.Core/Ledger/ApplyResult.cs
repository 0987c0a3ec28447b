using Orian.Authorisation;
using Orian.Domain;

namespace Orian.Ledger;

/// <summary>What happened to one pending event once its batch committed.</summary>
/// <param name="Outcome">The version rule's verdict.</param>
/// <param name="CurrentVersion">The transaction's highest applied version after the commit.</param>
/// <param name="Flags">What an operator should know about this version.</param>
/// <param name="Decision">For an authorisation request: the decision given to this version (made now,
/// or the one given the first time it was received).</param>
/// <param name="StandInCause">Set when <paramref name="Decision"/> was replaced by the stand-in after
/// the commit (the decision was revoked before it could be confirmed as the answer): why, for the metrics.</param>
public readonly record struct ApplyResult(VersionOutcome Outcome, long CurrentVersion, EventFlags Flags, Decision? Decision = null, string? StandInCause = null);
