using Orian.Domain;

namespace Orian.Ledger;

/// <summary>
/// The double-entry engine of one batch: the accounts as locked, changed leg by leg, and the
/// journal lines that explain every change. Its invariants are asserted on every change: each
/// entry's postings net to zero per currency, and every balance stays within the ledger's bounds
/// with held never negative (<see cref="LedgerInvariants"/>).
/// </summary>
internal sealed class WorkingLedger
{
    private readonly Dictionary<string, WorkingAccount> _accounts = new(StringComparer.Ordinal);
    private readonly List<JournalLine> _journal;
    private readonly DateTimeOffset _now;

    public WorkingLedger(IReadOnlyDictionary<string, AccountState> locked, List<JournalLine> journal, DateTimeOffset now)
    {
        foreach (var (accountNo, account) in locked)
        {
            LedgerInvariants.CheckAfterRead(account);
            _accounts[accountNo] = new WorkingAccount(account.Currency, account.Exponent, account.Posted, account.Held, isNew: false);
        }

        _journal = journal;
        _now = now;
    }

    public bool TryGet(string accountNo, out (string Currency, int Exponent, long Posted, long Held) account)
    {
        if (_accounts.TryGetValue(accountNo, out var a))
        {
            account = (a.Currency, a.Exponent, a.Posted, a.Held);
            return true;
        }

        account = default;
        return false;
    }

    public long AvailableOf(string accountNo) => _accounts.TryGetValue(accountNo, out var a) ? a.Available : 0;

    /// <summary>The account, opened on first use in the currency of the money that opens it.</summary>
    public (string Currency, int Exponent) Open(string accountNo, string currency, int exponent)
    {
        var account = AccountFor(accountNo, currency, exponent);
        return (account.Currency, account.Exponent);
    }

    /// <summary>Replaces a transaction's effect: reverses <paramref name="previous"/>, adds
    /// <paramref name="next"/>, leg by leg, and journals the difference as one entry.</summary>
    public void Replace(LedgerEffect previous, LedgerEffect next, string transactionId, long version)
    {
        if (previous == next)
        {
            return;
        }

        var lines = new List<JournalLine>(6);
        Move(previous, -1, transactionId, version, lines);
        Move(next, +1, transactionId, version, lines);
        AddEntry(lines, transactionId);
    }

    /// <summary>The balance changes to write, accounts in key order.</summary>
    public IEnumerable<AccountWrite> Writes(DateTimeOffset at) =>
        _accounts.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Where(a => a.Value.IsNew || a.Value.PostedDelta != 0 || a.Value.HeldDelta != 0)
            .Select(a => new AccountWrite(a.Key, a.Value.Currency, a.Value.Exponent, a.Value.PostedDelta, a.Value.HeldDelta, a.Value.IsNew, at));

    private WorkingAccount AccountFor(string accountNo, string currency, int exponent)
    {
        if (!_accounts.TryGetValue(accountNo, out var account))
        {
            account = new WorkingAccount(currency, exponent, 0, 0, isNew: true);
            _accounts[accountNo] = account;
        }

        return account;
    }

    /// <summary>Adds (<paramref name="sign"/> +1) or reverses (-1) an effect's legs.</summary>
    private void Move(LedgerEffect effect, int sign, string transactionId, long version, List<JournalLine> lines)
    {
        if (effect.IsNone)
        {
            return;
        }

        var accountNo = effect.AccountNo ?? throw new LedgerInvariantException($"Transaction {transactionId}: an effect with money must name an account.");
        if (!_accounts.TryGetValue(accountNo, out var account))
        {
            throw new LedgerInvariantException($"Transaction {transactionId}: account {accountNo} of its effect was not locked.");
        }

        var currency = effect.Currency!;
        if (effect.Held != 0)
        {
            account.HeldDelta = checked(account.HeldDelta + sign * effect.Held);
            lines.Add(new JournalLine(transactionId, version, accountNo, JournalKind.Hold, sign * effect.Held, currency, effect.Exponent, _now));
        }

        if (effect.Posted != 0)
        {
            var counter = effect.CounterAccount ?? throw new LedgerInvariantException($"Transaction {transactionId}: a posting must name its counter account.");
            account.PostedDelta = checked(account.PostedDelta + sign * effect.Posted);
            lines.Add(new JournalLine(transactionId, version, accountNo, JournalKind.Posting, sign * effect.Posted, currency, effect.Exponent, _now));
            lines.Add(new JournalLine(transactionId, version, counter, JournalKind.Posting, -sign * effect.Posted, currency, effect.Exponent, _now));
            if (effect.CounterIsAccount)
            {
                // The payee leg: a PPS account's balance, not a settlement account's journal only.
                var payee = AccountFor(counter, currency, effect.Exponent);
                payee.PostedDelta = checked(payee.PostedDelta - sign * effect.Posted);
                payee.AssertInvariants(counter);
            }
        }

        account.AssertInvariants(accountNo);
    }

    /// <summary>Journals one entry: the reversal netted against the new effect (a hold growing from
    /// 100 to 120 reads as one line of +20), lines that net to zero dropped. Its postings must net
    /// to zero per currency, or the entry would create or destroy money.</summary>
    private void AddEntry(List<JournalLine> lines, string transactionId)
    {
        foreach (var currency in lines.Where(l => l.Kind == JournalKind.Posting).GroupBy(l => l.Currency))
        {
            if (currency.Sum(l => l.Amount) != 0)
            {
                throw new LedgerInvariantException($"Transaction {transactionId}: an entry's postings in {currency.Key} do not net to zero.");
            }
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            for (var j = i + 1; j < lines.Count; j++)
            {
                if (lines[j].AccountNo == line.AccountNo && lines[j].Kind == line.Kind && lines[j].Currency == line.Currency)
                {
                    line = line with { Amount = checked(line.Amount + lines[j].Amount) };
                    lines.RemoveAt(j--);
                }
            }

            if (line.Amount != 0)
            {
                _journal.Add(line);
            }
        }
    }

    private sealed class WorkingAccount(string currency, int exponent, long posted, long held, bool isNew)
    {
        public string Currency { get; } = currency;
        public int Exponent { get; } = exponent;
        public bool IsNew { get; } = isNew;
        public long PostedDelta { get; set; }
        public long HeldDelta { get; set; }
        public long Posted => checked(posted + PostedDelta);
        public long Held => checked(held + HeldDelta);
        public long Available => checked(Posted - Held);

        public void AssertInvariants(string accountNo) => LedgerInvariants.CheckBeforeWrite(accountNo, Posted, Held);
    }
}
