using BenchmarkDotNet.Attributes;
using Orian.Authorisation;
using Orian.Domain;
using Orian.Wire;

namespace Orian.Benchmarks;

/// <summary>The delegated authorisation decision as a pure function (the example payload, parsed
/// once), on each of its common paths.</summary>
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    private OrianEvent _request = null!;
    private AuthorisationContext _funded;
    private AuthorisationContext _short;
    private AuthorisationContext _controlled;

    [GlobalSetup]
    public void Setup()
    {
        var body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "orian-v2-example.json"));
        _request = OrianParser.Parse(body, out var error) ?? throw new InvalidOperationException(error!.Message);
        _funded = new AuthorisationContext(true, "GBP", 2, 10_000, 0, AccountControls.None);
        _short = _funded with { Available = 40 };
        _controlled = _funded with
        {
            SpentToday = 1_000,
            Controls = new AccountControls(false, 5_000, 50_000, new HashSet<string> { "7995", "5933", "6051" }),
        };
    }

    [Benchmark(Baseline = true, Description = "approve (no controls)")]
    public Decision Approve() => AuthorisationDecider.Decide(_request, _funded, partialApprovalAllowed: false);

    [Benchmark(Description = "approve (all controls checked)")]
    public Decision ApproveWithControls() => AuthorisationDecider.Decide(_request, _controlled, partialApprovalAllowed: false);

    [Benchmark(Description = "partial approval")]
    public Decision Partial() => AuthorisationDecider.Decide(_request, _short, partialApprovalAllowed: true);

    [Benchmark(Description = "decline: insufficient funds")]
    public Decision Decline() => AuthorisationDecider.Decide(_request, _short, partialApprovalAllowed: false);

    [Benchmark(Description = "decide + effect (hold)")]
    public LedgerEffect DecideAndHold() => EffectFunction.Of(_request, AuthorisationDecider.Decide(_request, _funded, false)).Effect;
}
