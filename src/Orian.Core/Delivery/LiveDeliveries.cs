using Orian.Ledger;

namespace Orian.Delivery;

/// <summary>
/// The live path, as a ledger batch sees it: the instance's dispatcher takes the batch's webhook
/// deliveries straight from memory after the commit, with no claim query. Before the write, the batch
/// asks which of its deliveries the dispatcher has room for (<see cref="Reserve"/>, which never waits);
/// those are written already leased to this instance, the rest unleased for the claims. After the
/// commit the reservation hands them over; if the batch does not commit, the room goes back. A crash in
/// between loses nothing: the rows are in the database, and once their lease runs out a claim takes them.
/// </summary>
public interface ILiveDeliveries
{
    /// <summary>Leases to this instance those of <paramref name="changes"/>' deliveries its dispatcher has
    /// room for, replacing them in <see cref="LedgerChanges.Deliveries"/> with leased writes. Null when
    /// it takes none.</summary>
    ILiveReservation? Reserve(LedgerChanges changes);
}

/// <summary>Room a batch holds in the dispatcher, until it commits or gives up.</summary>
public interface ILiveReservation
{
    /// <summary>The batch committed: its leased deliveries go to the dispatcher, with their events.</summary>
    void Committed(LedgerChanges changes);

    /// <summary>The batch did not commit (or may not have): the room goes back, nothing is sent. A
    /// leased row that did commit is claimed once its lease runs out.</summary>
    void Release();
}
