namespace Orian.Domain;

/// <summary>An ORIAN amount: an integer count of minor units of <see cref="Currency"/>, whose
/// exponent says where the decimal point is (GBP 2, JPY 0, BHD 3). Never a floating point.</summary>
public readonly record struct Money(long Minor, string Currency, int Exponent)
{
    public override string ToString() => $"{Minor} {Currency} (e{Exponent})";

    /// <summary>The amount in major units with exactly <see cref="Exponent"/> decimals, from integers
    /// only: GBP 1234 (e2) is "12.34", JPY 500 (e0) is "500", BHD -5 (e3) is "-0.005". For peers that
    /// take decimal amounts (the Payments Orchestrator).</summary>
    public string ToDecimalString()
    {
        var digits = Math.Abs((decimal)Minor).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sign = Minor < 0 ? "-" : "";
        if (Exponent == 0)
        {
            return sign + digits;
        }

        digits = digits.PadLeft(Exponent + 1, '0');
        return $"{sign}{digits[..^Exponent]}.{digits[^Exponent..]}";
    }
}
