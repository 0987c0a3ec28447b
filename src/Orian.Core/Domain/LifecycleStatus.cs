namespace Orian.Domain;

/// <summary>The ORIAN <c>txn_lifecycle_status</c>. PPS may add values without a version change, so
/// anything we do not recognise parses as <see cref="Unknown"/> and keeps its raw spelling.</summary>
public enum LifecycleStatus : byte
{
    Unknown = 0,
    AuthorisationRequested,
    Authorised,
    Complete,
    Cancelled,
    Expired,
    ManuallyExpired,
}
