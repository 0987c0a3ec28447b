using System.Net;
using System.Text.Json;
using Orian.Domain;
using Orian.Tests.Support;

namespace Orian.Tests.Edge;

/// <summary>3-D Secure results recorded with their liability and indicators (ORIAN's table), shown on
/// the transaction and in its webhook event, on each provider.</summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class SecureAuthContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    /// <summary>ORIAN's table, typed in from its documentation: result, liability, AAV leading
    /// indicator, SLI, exemption flag.</summary>
    public static readonly object?[][] Table =
    [
        ["FULLY_AUTHENTICATED_FRICTIONLESS", "ISSUER", "kA", "212", null],
        ["FULLY_AUTHENTICATED_CHALLENGE", "ISSUER", "kB", "212", null],
        ["FULLY_AUTHENTICATED", "ISSUER", "j", "212", null],
        ["AUTHENTICATION_ATTEMPT", "ISSUER", "kE", "211", null],
        ["AUTHENTICATION_ATTEMPT_STAND_IN", "ISSUER", "kF", "211", null],
        ["FULLY_AUTHENTICATED_STAND_IN", "ISSUER", "kC", "211", null],
        ["EXEMPT_LOW_VALUE_MERCHANT", "MERCHANT", null, "210", "04"],
        ["EXEMPT_LOW_VALUE_AUTHENTICATED", "MERCHANT", "kN", "216", "04"],
        ["RECURRING_TRANSACTION_AUTHENTICATED_FRICTIONLESS", "ISSUER", "kO", "217", null],
        ["RECURRING_TRANSACTION_AUTHENTICATED_CHALLENGE", "ISSUER", "kP", "217", null],
        ["EXEMPT_RECURRING_TRANSACTION_MERCHANT", "MERCHANT", null, "210", "01 or 03"],
        ["EXEMPT_SECURE_CORP_PAYMENT_AUTHENTICATED", "MERCHANT", "kN", "216", "06"],
        ["EXEMPT_RISK_ANALYSIS_MERCHANT", "MERCHANT", null, "210", "02"],
        ["EXEMPT_RISK_ANALYSIS_AUTHENTICATED", "MERCHANT", "kN", "216", "02"],
        ["AUTHENTICATION_OUTAGE", "MERCHANT", null, "210", "07"],
        ["INSIGHTS_AUTHENTICATED", "MERCHANT", "kX, kY, kZ", "214", null],
        ["AUTHENTICATED_ACQUIRER_SCA_EXEMPTION", "MERCHANT", "kN, kU, kV, kW", "216", null],
    ];

    private static string WithSecureAuth(Txn txn, string? result) => result is null
        ? txn.Json
        : txn.Json.Replace("\"version\":" + txn.Version, "\"version\":" + txn.Version + ",\"acceptance\":{\"card_present\":false,\"txn_secure_auth_result\":" + JsonSerializer.Serialize(result) + "}", StringComparison.Ordinal);

    private static async Task<TestService> StartFundedAsync(TestDatabase database)
    {
        var service = await database.StartServiceAsync();
        await PutAsync(service, new Txn { Id = "3DS-LOAD", Direction = "CREDIT", Status = "COMPLETE", Amount = 100_000 }, null);
        return service;
    }

    private static async Task<JsonElement> PutAsync(TestService service, Txn txn, string? result)
    {
        using var response = await service.PutRawAsync(txn.Id, WithSecureAuth(txn, result));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await TestService.JsonAsync(response);
    }

    [Test]
    public async Task EveryResultInOrianTableIsShownWithItsLiabilityAndIndicators()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await StartFundedAsync(database);
        var n = 0;
        foreach (var row in Table)
        {
            var id = $"3DS-{++n}";
            var answer = await PutAsync(service, new Txn { Id = id }, (string)row[0]!);
            Assert.That(answer.GetProperty("flags").ValueKind, Is.EqualTo(JsonValueKind.Null), $"{row[0]} is not flagged");
            var shown = (await service.GetJsonOrNullAsync($"/v1/transactions/{id}"))!.Value.GetProperty("secure_auth");
            Assert.Multiple(() =>
            {
                Assert.That(shown.GetProperty("result").GetString(), Is.EqualTo(row[0]));
                Assert.That(shown.GetProperty("liability").GetString(), Is.EqualTo(row[1]), $"{row[0]}");
                Assert.That(Optional(shown, "aav_leading_indicator"), Is.EqualTo(row[2]), $"{row[0]}");
                Assert.That(Optional(shown, "sli"), Is.EqualTo(row[3]), $"{row[0]}");
                Assert.That(Optional(shown, "exemption_flag"), Is.EqualTo(row[4]), $"{row[0]}");
            });
        }
    }

    [Test]
    public async Task AnUnknownResultIsKeptFlaggedAndItsLiabilityUnknown()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await StartFundedAsync(database);
        var answer = await PutAsync(service, new Txn { Id = "3DS-X" }, "SOMETHING_NEW_IN_3DS");

        Assert.That(answer.GetProperty("flags").EnumerateArray().Select(f => f.GetString()), Is.EqualTo(new[] { "unknown_secure_auth_result" }));
        var txn = (await service.GetJsonOrNullAsync("/v1/transactions/3DS-X"))!.Value;
        Assert.That(txn.GetProperty("secure_auth").GetProperty("result").GetString(), Is.EqualTo("SOMETHING_NEW_IN_3DS"));
        Assert.That(txn.GetProperty("secure_auth").GetProperty("liability").GetString(), Is.EqualTo("UNKNOWN"));
        Assert.That(txn.GetProperty("effect").GetProperty("held").GetInt64(), Is.EqualTo(100), "3DS never changes the money");
    }

    [Test]
    public async Task TheNewestVersionThatCarriesAResultDecidesAndTheWebhookEventCarriesIt()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await StartFundedAsync(database);
        await PutAsync(service, new Txn { Id = "3DS-V", Version = 1 }, "FULLY_AUTHENTICATED_CHALLENGE");
        await PutAsync(service, new Txn { Id = "3DS-V", Version = 2, Status = "COMPLETE" }, null); // clearing without 3DS data
        var kept = (await service.GetJsonOrNullAsync("/v1/transactions/3DS-V"))!.Value.GetProperty("secure_auth");
        Assert.That(kept.GetProperty("result").GetString(), Is.EqualTo("FULLY_AUTHENTICATED_CHALLENGE"));

        await PutAsync(service, new Txn { Id = "3DS-V", Version = 3, Status = "COMPLETE", ClearingAmount = 90 }, "EXEMPT_LOW_VALUE_MERCHANT");
        var replaced = (await service.GetJsonOrNullAsync("/v1/transactions/3DS-V"))!.Value.GetProperty("secure_auth");
        Assert.That(replaced.GetProperty("liability").GetString(), Is.EqualTo("MERCHANT"));

        var payloads = await database.QueryAsync<string>("SELECT payload FROM outbox_events WHERE transaction_id = '3DS-V' AND event_type = 'transaction.updated' ORDER BY version");
        var liabilities = payloads.Select(p => JsonDocument.Parse(p).RootElement.GetProperty("data").GetProperty("secure_auth").GetProperty("liability").GetString());
        Assert.That(liabilities, Is.EqualTo(new[] { "ISSUER", "ISSUER", "MERCHANT" }));
    }

    [Test]
    public void TheTableHasEveryValueOrianDocumentsAndNoOther()
    {
        Assert.That(SecureAuth.KnownResults, Is.EquivalentTo(Table.Select(r => (string)r[0]!)));
        foreach (var row in Table)
        {
            var s = SecureAuth.Of((string)row[0]!);
            Assert.That((s.Liability, s.AavLeadingIndicator, s.Sli, s.ExemptionFlag), Is.EqualTo(((string)row[1]!, (string?)row[2], (string)row[3]!, (string?)row[4])), (string)row[0]!);
        }
    }

    private static string? Optional(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
