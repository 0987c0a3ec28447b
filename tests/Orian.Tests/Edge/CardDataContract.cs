using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using FsCheck;
using FsCheck.Fluent;
using Orian.Tests.Support;

namespace Orian.Tests.Edge;

/// <summary>
/// Card data through the whole service, on each provider: whatever shape and place a card number
/// takes in a body PPS sends, nothing Orian stores, logs or sends on in a webhook shows it, and no
/// stored hash is a plain hash of a body; a body past the retention period is purged unless a hold
/// or an open shortfall keeps it, and the ledger never moves.
/// </summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class CardDataContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    private static readonly string[] Statuses = ["AUTHORISED", "COMPLETE", "SETTLING_SOMEHOW", "AUTHORISATION_REQUESTED"];

    private sealed record Case(CardDataTests.Placement Placement, string Status, bool PathMismatch)
    {
        public override string ToString() => $"{Placement} status={Status}{(PathMismatch ? " (path id differs)" : "")}";
    }

    [Test]
    public async Task NoCardNumberSurvivesInWhatIsStoredLoggedOrSentAndNoHashIsAPlainHashOfABody()
    {
        var database = await CreateDatabaseAsync("carddata");
        var logs = new CapturedLogs();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var service = await database.StartServiceAsync(logs.AddTo);
        using (var created = await service.Operator.PostAsync("/v1/webhook-endpoints", new StringContent(
            $$"""{"url":"{{receiver.Url}}","events":["transaction.updated","authorisation.decided","account.overdrawn"]}""", Encoding.UTF8, "application/json")))
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        using (await service.PutAsync(new Txn { Id = "FUND", Direction = "CREDIT", Status = "COMPLETE", Amount = 1_000_000 }))
        {
        }

        var pans = new List<string>();
        var bodies = new List<byte[]>();
        var n = 0;
        var cases = from placement in CardDataTests.Placements
                    from status in Gen.Elements(Statuses)
                    from mismatch in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
                    select new Case(placement, status, mismatch);
        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var id = $"CD-{++n}";
            var json = CardDataTests.BodyWith(c.Placement, id).Replace("\"AUTHORISED\"", $"\"{c.Status}\"", StringComparison.Ordinal);
            if (c.Status == "AUTHORISATION_REQUESTED")
            {
                json = json.Replace("\"txn_result\"", "\"earlier_result\"", StringComparison.Ordinal);
            }

            var bytes = Encoding.UTF8.GetBytes(json);
            pans.Add(c.Placement.Pan);
            bodies.Add(bytes);
            var path = c.PathMismatch ? $"X{CardDataTests.Shape(c.Placement.Pan, c.Placement.Shape)}" : id;
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = service.Pps.PutAsync($"/v2/transactions/{Uri.EscapeDataString(path)}", content).GetAwaiter().GetResult();
            var stored = database.QueryAsync<string?>("SELECT raw_json FROM transaction_versions WHERE transaction_id = @id", new { id }).GetAwaiter().GetResult();
            return ((int)response.StatusCode < 500).Label($"answered {(int)response.StatusCode}")
                .And(stored.All(s => s is null || !CardDataTests.Shows(s, c.Placement.Pan)).Label($"stored: {string.Join(" / ", stored)}"));
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60).WithQuietOnSuccess(true), property);

        // Every webhook the run caused, delivered: then nothing can still be on its way.
        await Until.TrueAsync(async () => await database.ScalarAsync<long>(
            "SELECT (SELECT count(*) FROM webhook_deliveries WHERE state <> 'delivered') + (SELECT count(*) FROM outbox_events WHERE fanned_out = " +
            (database.Provider == "sqlserver" ? "0" : "FALSE") + ")") == 0, "every webhook delivered");
        Assert.That(receiver.Requests, Is.Not.Empty);

        var everywhere = new Dictionary<string, string>
        {
            ["raw_json"] = string.Join("\n", await database.QueryAsync<string?>("SELECT raw_json FROM transaction_versions")),
            ["transactions"] = string.Join("\n", (await database.QueryAsync<(string?, string?, string?, string?, string?)>(
                "SELECT status, result, result_detail, txn_type, scheme_id FROM transactions")).Select(t => t.ToString())),
            ["outbox payloads"] = string.Join("\n", await database.QueryAsync<string>("SELECT payload FROM outbox_events")),
            ["decisions"] = string.Join("\n", await database.QueryAsync<string?>("SELECT result_message FROM authorisation_decisions")),
            ["webhooks"] = string.Join("\n", receiver.Requests.Select(r => r.Body)),
            ["logs"] = logs.All,
        };
        var hashes = (await database.QueryAsync<byte[]>("SELECT payload_hash FROM transaction_versions UNION ALL SELECT payload_hash FROM transactions"))
            .Select(Convert.ToHexString).ToHashSet();
        Assert.Multiple(() =>
        {
            foreach (var (where, text) in everywhere)
            {
                Assert.That(pans.Where(p => CardDataTests.Shows(text, p)), Is.Empty, $"card numbers shown in {where}");
            }

            Assert.That(bodies.Select(b => Convert.ToHexString(SHA256.HashData(b))).Where(hashes.Contains), Is.Empty, "a stored hash that is a plain SHA-256 of a body");
        });
    }

    [Test]
    public async Task OldBodiesArePurgedUnlessHeldOrAnOpenShortfallAndTheLedgerNeverMoves()
    {
        var database = await CreateDatabaseAsync("retention");
        var plain = new Txn { Id = "R-PLAIN", Account = "R-ACC", Direction = "CREDIT", Status = "COMPLETE", Amount = 500 };
        var held = new Txn { Id = "R-HELD", Account = "R-ACC", Status = "AUTHORISED", Amount = 100 };
        var shortfall = new Txn { Id = "R-SHORT", Account = "R-DRY", Status = "COMPLETE", Amount = 700 }; // offline clearing on an empty account
        var settled = new Txn { Id = "R-SETTLED", Account = "R-OK", Direction = "CREDIT", Status = "COMPLETE", Amount = 50 };
        string ledgerBefore;
        await using (var service = await database.StartServiceAsync())
        {
            foreach (var txn in new[] { plain, held, shortfall, settled })
            {
                using var put = await service.PutAsync(txn);
                Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }

            using var hold = await service.Operator.PutAsync("/v1/transactions/R-HELD/holds/dispute",
                new StringContent("""{"note":"chargeback 4111 1111 1111 1111"}""", Encoding.UTF8, "application/json"));
            Assert.That(hold.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await TestService.JsonAsync(hold)).GetProperty("note").GetString(), Is.EqualTo("chargeback 4111 11** **** 1111"));
            using var badReason = await service.Operator.PutAsync("/v1/transactions/R-HELD/holds/forever", null);
            Assert.That(badReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            ledgerBefore = await LedgerAsync(database);
        }

        // Received 401 days ago, as far as the ledger can tell: the service's own maintenance, at its
        // start, purges what the default 400 days allow.
        await database.ExecuteAsync("UPDATE transaction_versions SET received_at = @at", new { at = DateTimeOffset.UtcNow.AddDays(-401) });
        await using (var service = await database.StartServiceAsync())
        {
            await Until.TrueAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM transaction_versions WHERE body_purged_at IS NOT NULL") == 2,
                "the unheld bodies purged");
            var kept = await database.QueryAsync<string>("SELECT transaction_id FROM transaction_versions WHERE raw_json IS NOT NULL ORDER BY transaction_id");
            Assert.That(kept, Is.EqualTo(new[] { "R-HELD", "R-SHORT" }), "a dispute's hold and an open shortfall keep their bodies");
            Assert.That(await LedgerAsync(database), Is.EqualTo(ledgerBefore), "the ledger is untouched");

            using (var again = await service.PutAsync(plain))
            {
                Assert.That((await TestService.JsonAsync(again)).GetProperty("outcome").GetString(), Is.EqualTo("duplicate"), "the keyed hash decides without the body");
            }

            using (var released = await service.Operator.DeleteAsync("/v1/transactions/R-HELD/holds/dispute"))
            {
                Assert.That(released.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            }

            var cardData = (await service.GetJsonOrNullAsync("/v1/card-data"))!.Value;
            Assert.That(cardData.GetProperty("current_key_id").GetString(), Is.EqualTo(TestService.HashKeyId));
            Assert.That(cardData.GetProperty("versions_by_key_id").GetProperty(TestService.HashKeyId).GetInt64(), Is.EqualTo(5), "four versions and the re-send");
            Assert.That(cardData.GetProperty("unknown_key_ids").GetArrayLength(), Is.Zero);
            Assert.That(cardData.GetProperty("unkeyed_rows").GetInt64(), Is.Zero);

            using var audit = await service.Operator.GetAsync("/v1/audit?target=transaction:R-HELD");
            Assert.That(await audit.Content.ReadAsStringAsync(), Does.Contain("body_hold.place").And.Contain("body_hold.release"));
        }

        var purged = await database.Storage.Bodies.PurgePageAsync(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 10, CancellationToken.None);
        Assert.That(purged, Is.EqualTo(1), "a released hold's body goes at the next purge; the shortfall's stays while the account is overdrawn");
        Assert.That(await LedgerAsync(database), Is.EqualTo(ledgerBefore));
    }

    [Test]
    public async Task VersionsStoredAlikeButDifferingInARedactedMemberAreAConflictAndAReformattedOneADuplicate()
    {
        var database = await CreateDatabaseAsync("redacted");
        await using var service = await database.StartServiceAsync();
        var first = """{"id":"RD-1","version":1,"txn_lifecycle_status":"AUTHORISED","payer":{"card":{"cvv2":"123","pan":"4111111111111111"}}}""";
        var otherCvv = first.Replace("\"123\"", "\"456\"", StringComparison.Ordinal);
        var otherPan = first.Replace("4111111111111111", "4111119999941111", StringComparison.Ordinal); // same first six and last four, Luhn-valid
        var reformatted = first.Replace(",", ",\n  ", StringComparison.Ordinal);
        var outcomes = new List<string>();
        foreach (var body in new[] { first, otherCvv, otherPan, reformatted, first })
        {
            using var put = await service.PutRawAsync("RD-1", body);
            outcomes.Add((await TestService.JsonAsync(put)).GetProperty("outcome").GetString()!);
        }

        Assert.That(outcomes, Is.EqualTo(new[] { "applied", "conflict", "conflict", "duplicate", "duplicate" }));
        var stored = await database.QueryAsync<string?>("SELECT raw_json FROM transaction_versions WHERE transaction_id = 'RD-1' AND raw_json IS NOT NULL");
        Assert.That(stored, Has.Count.EqualTo(3), "the applied body and each conflicting body, once");
        Assert.That(stored, Has.All.Not.Contain("cvv2").And.All.Not.Contain("4111111111111111").And.All.Not.Contain("4111119999941111"));
    }

    /// <summary>Every ledger row that money depends on, as text.</summary>
    private static async Task<string> LedgerAsync(TestDatabase database) => string.Join("\n",
        (await database.QueryAsync<(string, long, long)>("SELECT account_no, posted, held FROM accounts ORDER BY account_no")).Select(r => r.ToString())
        .Concat((await database.QueryAsync<(string, long, string, long, long)>(
            "SELECT id, version, status, effect_held, effect_posted FROM transactions ORDER BY id")).Select(r => r.ToString()))
        .Concat((await database.QueryAsync<(string, string, long)>("SELECT transaction_id, account_no, amount FROM journal ORDER BY id")).Select(r => r.ToString())));
}
