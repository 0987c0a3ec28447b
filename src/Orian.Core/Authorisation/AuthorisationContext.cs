namespace Orian.Authorisation;

/// <summary>What the decision reads about the account, as locked in the deciding transaction.</summary>
/// <param name="Exists">False: the account is unknown to the ledger.</param>
/// <param name="Available">posted - held, minor units, including earlier decisions in the same batch.</param>
/// <param name="SpentToday">Approved debit amounts this service decided for the account since 00:00 UTC.</param>
public readonly record struct AuthorisationContext(bool Exists, string? Currency, int Exponent, long Available, long SpentToday, AccountControls Controls);
