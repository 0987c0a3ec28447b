namespace Orian.Storage;

/// <summary>What operators read and set for delegated authorisation.</summary>
public interface IAuthorisationAdmin
{
    Task<ControlsRow?> GetControlsAsync(string accountNo, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the controls of an account.</summary>
    Task PutControlsAsync(ControlsRow controls, OperatorContext who, CancellationToken cancellationToken);

    /// <summary>An account's decisions, newest first.</summary>
    Task<IReadOnlyList<DecisionRow>> GetDecisionsAsync(string accountNo, int limit, CancellationToken cancellationToken);
}
