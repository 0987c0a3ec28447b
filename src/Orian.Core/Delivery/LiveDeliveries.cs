using Orian.Ledger;

namespace Orian.Delivery;

/// <summary>
/// The live path, as a ledger batch sees it: the instance's dispatcher takes the batch's webhook
/// deliveries straight from memory after the commit, with no claim query. Before the write, the batch
/// asks which of its deliveries the dispatcher has room for (<see cref="Reserve"/>, which never waits);
/// for those the batch writes one lease row per endpoint (<see cref="LiveLeaseWrite"/>) instead of a
/// delivery row each, and the rest are written pending for the claims. After the commit the reservation
/// hands them over; if the batch does not commit, the room goes back. A crash in between loses nothing:
/// the lease row is in the database, and once it runs out a claim takes it over and writes its
/// deliveries pending.
/// </summary>
public interface ILiveDeliveries
{
    /// <summary>Takes for this instance those of <paramref name="changes"/>' deliveries its dispatcher
    /// has room for: marks them with their lease in <see cref="LedgerChanges.Deliveries"/> (so no row is
    /// written for them) and adds their leases to <see cref="LedgerChanges.LiveLeases"/>. Null when it
    /// takes none.</summary>
    ILiveReservation? Reserve(LedgerChanges changes);
}

/// <summary>Room a batch holds in the dispatcher, until it commits or gives up.</summary>
public interface ILiveReservation
{
    /// <summary>The batch committed: its live deliveries go to the dispatcher, with their events.</summary>
    void Committed(LedgerChanges changes);

    /// <summary>The batch did not commit (or may not have): the room goes back, nothing is sent. A
    /// lease row that did commit is taken over once it runs out.</summary>
    void Release();
}
