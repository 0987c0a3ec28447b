using BenchmarkDotNet.Attributes;
using Orian.Domain;
using Orian.Ledger;
using Orian.Outbox;

namespace Orian.Benchmarks;

/// <summary>
/// The outbox event every applied version writes in its batch (<c>transaction.updated</c>): built
/// by <see cref="EventFactory"/> on the worker, once per event, before the commit.
/// </summary>
[MemoryDiagnoser]
public class OutboxEventBenchmarks
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private readonly TransactionState _state = new()
    {
        Id = "18020114280135473",
        Version = 2,
        PayloadHash = new byte[32],
        Status = "COMPLETE",
        Result = "APPROVED",
        ResultDetail = "SUCCESSFUL",
        Direction = "DEBIT",
        TxnType = "PURCHASE",
        SchemeId = "MC",
        AccountNo = "73648576",
        Amount = new Money(1_050, "GBP", 2),
        Effect = new LedgerEffect("73648576", "GBP", 2, 0, -1_050, "scheme:MC:GBP", false),
        Flags = EventFlags.None,
        SecureAuthResult = "AUTHENTICATED",
    };

    [Benchmark(Description = "transaction.updated event")]
    public OutboxEvent TransactionUpdated() => EventFactory.TransactionUpdated(_state, At);
}
