using Microsoft.Extensions.Options;
using Orian.Ledger;
using Orian.Service.Configuration;
using Orian.Service.Diagnostics;

namespace Orian.Service.Pipeline;

/// <summary>
/// Records a stand-in answer durably before it is sent, so that a decision committed for the same
/// request anyway can be revoked after any crash. The cardholder is waiting, so the wait is bounded
/// by <see cref="AuthorisationOptions.StandInRecordBudgetMs"/>: past it the answer goes and the
/// record follows (a write that fails is handed to the reconciler, which retries it).
/// </summary>
internal sealed class StandInRecorder(
    ILedgerStore store, StandInReconciler reconciler, IOptions<AuthorisationOptions> options, TimeProvider time, ILogger<StandInRecorder> logger)
{
    public async Task RecordAsync(StandInRecord record)
    {
        var write = WriteAsync(record);
        var budget = options.Value.StandInRecordBudgetMs;
        if (await Task.WhenAny(write, Task.Delay(TimeSpan.FromMilliseconds(budget), time)).ConfigureAwait(false) != write)
        {
            Log.StandInRecordSlow(logger, Untrusted.Id(record.TransactionId), record.Version, budget);
        }
    }

    private async Task WriteAsync(StandInRecord record)
    {
        try
        {
            await store.RecordStandInAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            reconciler.Settle(record);
        }
    }
}
