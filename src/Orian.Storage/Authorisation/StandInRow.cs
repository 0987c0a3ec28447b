using Orian.Authorisation;
using Orian.Ledger;
using Orian.Wire;

namespace Orian.Storage;

/// <summary>An <c>authorisation_standins</c> row as read.</summary>
internal sealed class StandInRow
{
    public string TransactionId { get; set; } = "";
    public long Version { get; set; }
    public string Result { get; set; } = "";
    public string ResultDetail { get; set; } = "";
    public string Reason { get; set; } = "";
    public DateTimeOffset AnsweredAt { get; set; }

    public StandInRecord ToRecord() =>
        new(TransactionId, Version, new Decision(OrianParser.ParseResult(Result), ResultDetail, null, null, 0, Reason), AnsweredAt);
}
