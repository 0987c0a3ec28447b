using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Orian.Ledger;
using Orian.Tests.Support;

namespace Orian.Tests.Storage;

/// <summary>
/// A ledger written by the build before payload hashes were keyed (<c>Fixtures/WrittenBy6ac1d90</c>,
/// a dump of what that build stored), opened by this one: the schema moves on, every plain SHA-256 is
/// re-keyed in the background, and every body sent to the old build again (the same bytes, the same
/// value written differently, another value at the same version) gets exactly the answer the old
/// build gave it. Bodies and codes the old build kept with card data are redacted as they are re-keyed.
/// </summary>
[TestFixture(typeof(Sqlite))]
[TestFixture(typeof(Postgres))]
public sealed class PayloadHashMigrationContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    private static string Fixture => Path.Combine(Repository.Root, "tests", "Orian.Tests", "Fixtures", "WrittenBy6ac1d90");

    private sealed record Resend(string Body, string Id, long Version, string Outcome, string? Result);

    [Test]
    public async Task EveryVersionStoredByTheOldBuildKeepsItsOutcomeOnceItsHashIsRekeyed()
    {
        var database = await CreateDatabaseAsync("rekey");
        await RestoreAsync(database);
        var sentBefore = Directory.GetFiles(Path.Combine(Fixture, "bodies"), "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        var plainBefore = await database.QueryAsync<byte[]>("SELECT payload_hash FROM transaction_versions");
        Assert.That(plainBefore.Select(Convert.ToHexString), Is.SubsetOf(sentBefore.Select(b => Convert.ToHexString(SHA256.HashData(b)))),
            "the old build stored the plain SHA-256 of each body: a card number's middle digits could be found by trying them");

        // What the old build also stored as sent (the assessor found it): a CVV2 member and a card
        // number in groups in a body, and one in a code. Put into a superseded version's body (FX-000
        // is at version 2), and into the transaction's scheme.
        await database.ExecuteAsync(
            "UPDATE transaction_versions SET raw_json = @raw WHERE transaction_id = 'FX-000' AND version = 1",
            new { raw = """{"id":"FX-000","version":1,"txn_lifecycle_status":"AUTHORISED","payer":{"card":{"cvv2":"123","note":"4111 1111 1111 1111"}}}""" });
        await database.ExecuteAsync("UPDATE transactions SET scheme_id = '4111-1111-1111-1111' WHERE id = 'FX-000'");
        var eventId = await database.ScalarAsync<string>("SELECT min(event_id) FROM outbox_events WHERE payload LIKE '%\"scheme_id\":\"MC\"%'");
        await database.ExecuteAsync("UPDATE outbox_events SET payload = replace(payload, '\"scheme_id\":\"MC\"', '\"scheme_id\":\"4111 1111 1111 1111\"') WHERE event_id = @eventId",
            new { eventId });

        await using var service = await database.StartServiceAsync();
        await Until.TrueAsync(async () => await database.Storage.Bodies.CountUnkeyedAsync(CancellationToken.None) == 0, "every stored hash re-keyed");
        Assert.That(await database.ScalarAsync<string>("SELECT raw_json FROM transaction_versions WHERE transaction_id = 'FX-000' AND version = 1"),
            Is.EqualTo("""{"id":"FX-000","version":1,"txn_lifecycle_status":"AUTHORISED","payer":{"card":{"note":"4111 11** **** 1111"}}}"""),
            "an old body is redacted by today's rules as it is re-keyed");
        Assert.That(await database.ScalarAsync<string>("SELECT scheme_id FROM transactions WHERE id = 'FX-000'"), Is.EqualTo("4111-11**-****-1111"));
        await Until.TrueAsync(async () => await database.ScalarAsync<long>(
            "SELECT count(*) FROM maintenance_cursors WHERE name = 'outbox_payload_codes' AND position = 9223372036854775807") == 1, "the outbox pass done");
        Assert.That(await database.ScalarAsync<string>("SELECT payload FROM outbox_events WHERE event_id = @eventId", new { eventId }),
            Does.Contain("\"scheme_id\":\"4111 11** **** 1111\"").And.Not.Contain("4111 1111 1111 1111"), "an old outbox payload's code is masked");

        var keys = new PayloadKeys(TestService.HashKeyId, Convert.FromBase64String(TestService.HashKey));
        var stored = await database.QueryAsync<(byte[] Hash, string Key, string Id)>(
            "SELECT payload_hash, payload_key, transaction_id FROM transaction_versions UNION ALL SELECT payload_hash, payload_key, id FROM transactions");
        var plain = sentBefore.Select(b => Convert.ToHexString(SHA256.HashData(b))).ToHashSet();
        var keyed = sentBefore.Select(b => Convert.ToHexString(keys.Hash(SHA256.HashData(b)))).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(stored.Select(s => s.Key).Distinct(), Is.EqualTo(new[] { TestService.HashKeyId }));
            Assert.That(stored.Select(s => Convert.ToHexString(s.Hash)).Where(plain.Contains), Is.Empty, "no stored hash is a plain SHA-256 of a body");
            Assert.That(stored.Where(s => !keyed.Contains(Convert.ToHexString(s.Hash))).Select(s => s.Id), Is.Empty, "each is HMAC(key, SHA-256 of a body sent)");
        });

        var answers = new List<string>();
        var expected = new List<string>();
        foreach (var resend in File.ReadLines(Path.Combine(Fixture, "resend.jsonl")).Select(l => JsonSerializer.Deserialize<Resend>(l, Json)!))
        {
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(resend.Body));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await service.Pps.PutAsync($"/v2/transactions/{Uri.EscapeDataString(resend.Id)}", content);
            var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var outcome = answer.TryGetProperty("outcome", out var o) ? o.GetString() : answer.GetProperty("orian_outcome").GetString();
            var result = answer.TryGetProperty("txn_result", out var r) ? r.GetProperty("result").GetString() : null;
            answers.Add($"{resend.Id} v{resend.Version}: {(int)response.StatusCode} {outcome} {result}");
            expected.Add($"{resend.Id} v{resend.Version}: 200 {resend.Outcome} {resend.Result}");
        }

        Assert.That(answers, Is.EqualTo(expected));
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Loads the old build's dump into the empty <paramref name="database"/>.</summary>
    private static async Task RestoreAsync(TestDatabase database)
    {
        var script = await File.ReadAllTextAsync(Path.Combine(Fixture, database.Provider == "postgres" ? "postgres.sql" : "sqlite.sql"));
        await using var connection = await database.ConnectAsync();
        await connection.ExecuteAsync(new CommandDefinition(script, commandTimeout: 120));
    }
}
