using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Orian.Authorisation;
using Orian.Domain;
using Orian.Wire;

namespace Orian.Benchmarks;

/// <summary>
/// The per-event CPU work on the acknowledgement path: parse + validate the ORIAN body and compute
/// its ledger effect, beside a floor that only walks the same bytes with <see cref="Utf8JsonReader"/>
/// (nothing can read the body for less). The ratio column is the cost relative to that floor.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private byte[] _example = [];
    private byte[] _clearing = [];
    private byte[] _cardData = [];
    private byte[] _plainId = [];

    [GlobalSetup]
    public void Setup()
    {
        _example = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "orian-v2-example.json"));
        // The same payload as a cleared (COMPLETE, approved) version: the effect then posts.
        var text = System.Text.Encoding.UTF8.GetString(_example)
            .Replace("\"AUTHORISATION_REQUESTED\"", "\"COMPLETE\", \"txn_result\": {\"result\": \"APPROVED\", \"result_detail\": \"SUCCESSFUL\"}", StringComparison.Ordinal);
        _clearing = System.Text.Encoding.UTF8.GetBytes(text);
        // The clearing under an id that fails the Luhn check, as nine PPS ids in ten do (ORIAN's own
        // example id passes it, so the rows above look at every value of the body).
        _plainId = System.Text.Encoding.UTF8.GetBytes(text.Replace("18020114280135473", "18020114280135474", StringComparison.Ordinal));
        // The clearing as PPS might send it by mistake: a full card number in masked_pan, a CVV2 member.
        _cardData = System.Text.Encoding.UTF8.GetBytes(text
            .Replace("\"123456******9876\"", "\"4111111111111111\", \"cvv2\": \"123\"", StringComparison.Ordinal));
    }

    [Benchmark(Baseline = true, Description = "floor: Utf8JsonReader walk")]
    public int Walk() => WalkTokens(_example);

    [Benchmark(Description = "parse+validate+effect (auth request)")]
    public LedgerEffect ParseValidateEffect() => Effect(_example);

    [Benchmark(Description = "parse+validate+effect (clearing)")]
    public LedgerEffect ParseValidateEffectClearing() => Effect(_clearing);

    [Benchmark(Description = "parse+validate+pending event (auth request)")]
    public Orian.Ledger.PendingEvent ParsePending() => Pending(_example);

    [Benchmark(Description = "parse+validate+pending event (clearing)")]
    public Orian.Ledger.PendingEvent ParsePendingClearing() => Pending(_clearing);

    [Benchmark(Description = "parse+validate+pending event (clearing, id not Luhn-valid)")]
    public Orian.Ledger.PendingEvent ParsePendingPlainId() => Pending(_plainId);

    [Benchmark(Description = "parse+validate+pending event (clearing with card data to redact)")]
    public Orian.Ledger.PendingEvent ParsePendingCardData() => Pending(_cardData);

    /// <summary>What the endpoint does with a body before it enters a partition: parse, validate,
    /// and build the pending event (the stored text, with card data redacted, and its keyed hashes).</summary>
    private static Orian.Ledger.PendingEvent Pending(byte[] body)
    {
        var evt = OrianParser.Parse(body, out var error) ?? throw new InvalidOperationException(error!.Message);
        return new Orian.Ledger.PendingEvent(evt, body, DateTimeOffset.UnixEpoch, Orian.Ledger.PayloadKeys.Development);
    }

    private static readonly Decision Approved = new(TxnResult.Approved, ResultDetail.Successful, null, null, 100, "covered");

    private static LedgerEffect Effect(byte[] body)
    {
        var evt = OrianParser.Parse(body, out var error) ?? throw new InvalidOperationException(error!.Message);
        return EffectFunction.Of(evt, Approved).Effect;
    }

    private static int WalkTokens(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }
}
