namespace Orian.Domain;

/// <summary>The outcome of <see cref="EffectFunction.Of"/>: either a new effect, or
/// <see cref="CarryPrevious"/> (we cannot tell what this version means, so the ledger keeps the
/// previous version's effect), with the flags that explain it.</summary>
public readonly record struct EffectResult(LedgerEffect Effect, bool CarryPrevious, EventFlags Flags)
{
    public static EffectResult Of(LedgerEffect effect) => new(effect, false, EventFlags.None);

    public static EffectResult Carry(EventFlags why) => new(default, true, why);
}
