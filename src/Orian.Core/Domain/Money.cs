namespace Orian.Domain;

/// <summary>An ORIAN amount: an integer count of minor units of <see cref="Currency"/>, whose
/// exponent says where the decimal point is (GBP 2, JPY 0, BHD 3). Never a floating point.</summary>
public readonly record struct Money(long Minor, string Currency, int Exponent)
{
    public override string ToString() => $"{Minor} {Currency} (e{Exponent})";
}
