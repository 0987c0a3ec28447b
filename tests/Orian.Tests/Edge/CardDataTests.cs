using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Orian.Edge;
using Orian.Ledger;
using Orian.Tests.Support;
using Orian.Wire;

namespace Orian.Tests.Edge;

/// <summary>
/// Card data in what Orian keeps of a body (<see cref="StoredBody"/>), in the codes it parses, in its
/// hashes (<see cref="PayloadKeys"/>) and in the version rule that compares them: examples of every
/// shape, then properties over shapes and positions.
/// </summary>
public sealed class CardDataTests
{
    private const string Visa = "4111111111111111";
    private const string Amex = "378282246310005";

    [TestCase("4111111111111111", "411111******1111")]
    [TestCase("4111 1111 1111 1111", "4111 11** **** 1111")]
    [TestCase("4111-1111-1111-1111", "4111-11**-****-1111")]
    [TestCase("3782 822463 10005", "3782 82**** *0005")]
    [TestCase("card 4111111111111111 declined", "card 411111******1111 declined")]
    [TestCase("pan=4111111111111111;exp=2512", "pan=411111******1111;exp=2512")]
    [TestCase("4111111111111111 2512", "411111******1111 2512")]
    [TestCase("ref 12 4111111111111111", "ref 12 411111******1111")]
    [TestCase("41111111111111111111", "41111111111111111111")]
    [TestCase("4111111111111112", "4111111111111112")]
    [TestCase("4111  1111 1111 1111", "4111  1111 1111 1111")]
    [TestCase("2018-08-02T15:00:00Z", "2018-08-02T15:00:00Z")]
    [TestCase("123456******9876", "123456******9876")]
    public void CardNumbersAreFoundInEveryShapeAndMaskedToTheirFirstSixAndLastFour(string text, string masked) =>
        Assert.That(CardNumbers.Mask(text), Is.EqualTo(masked));

    [Test]
    public void OnlyTheIdentifiersAndAmountsOrianReadsKeepTheirDigits()
    {
        var body = """
            {"id":"VISA","version":4111111111111111,"txn_lifecycle_status":"AUTHORISED",
             "payer":{"account":{"account_no":"VISA","id":"VISA"},"card":{"masked_pan":"VISA","pan":VISA},
                      "bank_account":{"account_no":"VISA"}},
             "authorisation":{"txn_amounts":{"cardholder_final_amount":{"amount":4111111111111111,"currency":{"code":"GBP","exponent":2}}}},
             "txn_result":{"result":"APPROVED","result_message":"card VISA ok"},
             "notes":[{"id":"VISA"},"AMEX"],"VISA":true}
            """.Replace("VISA", Visa, StringComparison.Ordinal).Replace("AMEX", Amex, StringComparison.Ordinal);
        var stored = JsonDocument.Parse(StoredBody.Of(Encoding.UTF8.GetBytes(body)).Json).RootElement;
        const string Masked = "411111******1111";
        Assert.Multiple(() =>
        {
            Assert.That(stored.GetProperty("id").GetString(), Is.EqualTo(Visa), "the top-level id is the transaction's key");
            Assert.That(stored.GetProperty("version").GetInt64(), Is.EqualTo(4111111111111111));
            Assert.That(stored.GetProperty("payer").GetProperty("account").GetProperty("account_no").GetString(), Is.EqualTo(Visa));
            Assert.That(stored.GetProperty("authorisation").GetProperty("txn_amounts").GetProperty("cardholder_final_amount").GetProperty("amount").GetInt64(),
                Is.EqualTo(4111111111111111));
            Assert.That(stored.GetProperty("payer").GetProperty("account").GetProperty("id").GetString(), Is.EqualTo(Masked), "a nested id is not one Orian reads");
            Assert.That(stored.GetProperty("payer").GetProperty("card").GetProperty("masked_pan").GetString(), Is.EqualTo(Masked));
            Assert.That(stored.GetProperty("payer").GetProperty("card").GetProperty("pan").GetString(), Is.EqualTo(Masked), "a JSON number becomes a masked string");
            Assert.That(stored.GetProperty("payer").GetProperty("bank_account").GetProperty("account_no").GetString(), Is.EqualTo(Masked));
            Assert.That(stored.GetProperty("txn_result").GetProperty("result_message").GetString(), Is.EqualTo($"card {Masked} ok"));
            Assert.That(stored.GetProperty("notes")[0].GetProperty("id").GetString(), Is.EqualTo(Masked));
            Assert.That(stored.GetProperty("notes")[1].GetString(), Is.EqualTo("378282*****0005"));
            Assert.That(stored.TryGetProperty(Masked, out _), Is.True, "a member name is masked too");
        });
    }

    [TestCase("{\"id\":\"18020114280135473\",\"version\":1}", "{\"id\":\"18020114280135473\",\"version\":1}")]
    [TestCase("{\"id\":\"18020114280135473\",\"note\":\"18020114280135473\"}", "{\"id\":\"18020114280135473\",\"note\":\"180201*******5473\"}")]
    [TestCase("{\"id\":\"18020114280135473\",\"18020114280135473\":1}", "{\"id\":\"18020114280135473\",\"180201*******5473\":1}")]
    [TestCase("{\"id\":\"18020114280135473\",\"pan\":\"4111111111111111\"}", "{\"id\":\"18020114280135473\",\"pan\":\"411111******1111\"}")]
    public void ALuhnValidTopLevelIdIsKeptAndTheSameDigitsAnywhereElseAreMasked(string body, string stored) =>
        Assert.That(StoredBody.Of(Encoding.UTF8.GetBytes(body), "18020114280135473").Json, Is.EqualTo(stored));

    [Test]
    public void MembersThatOnlyHoldSensitiveAuthenticationDataAreRemovedWherever()
    {
        var body = """
            {"id":"T1","version":1,"txn_lifecycle_status":"AUTHORISED",
             "payer":{"card":{"masked_pan":"123456******9876","CVV2":"123","track_2":"4111111111111111=25121010000012300000","Track1Data":{"raw":"B4111"}}},
             "acceptance":{"emv":{"arqc":"9F26","icc-data":"9F2608"},"pos_data":{"terminal_pin_entry_capability":"PIN_ENTRY_CAPABILITY"}},
             "list":[{"pin_block":"0412AC89ABCDEF67"},{"cvc":null}],"keep":"yes"}
            """;
        var result = StoredBody.Of(Encoding.UTF8.GetBytes(body));
        var text = result.Json;
        Assert.Multiple(() =>
        {
            foreach (var gone in new[] { "CVV2", "\"123\"", "track_2", "Track1Data", "B4111", "arqc", "9F26", "icc-data", "pin_block", "0412AC89", "cvc" })
            {
                Assert.That(text, Does.Not.Contain(gone));
            }

            Assert.That(text, Does.Contain("terminal_pin_entry_capability"), "a name that only contains 'pin' is kept");
            Assert.That(text, Does.Contain("\"keep\":\"yes\""));
            Assert.That(result.Redacted, Is.True);
            Assert.That(OrianParser.Parse(Encoding.UTF8.GetBytes(text), out _), Is.Not.Null, "the stored body still parses");
        });
    }

    [Test]
    public void ABodyWithNothingToRedactIsStoredAsItsBytes()
    {
        var body = Samples.OfficialExample;
        var result = StoredBody.Of(Encoding.UTF8.GetBytes(body));
        Assert.That(result.Json, Is.EqualTo(body), "ORIAN's own example: its 17-digit id passes Luhn and is the top-level id");
        Assert.That(result.Redacted, Is.False);
    }

    [Test]
    public void TheStoredHashIsKeyedAndNotAPlainHashOfTheBody()
    {
        var txn = new Txn { Extra = $"pan {Visa}" };
        var pending = txn.Pending();
        var other = new PayloadKeys("other", new byte[32]);
        Assert.Multiple(() =>
        {
            Assert.That(pending.PayloadHash, Is.Not.EqualTo(SHA256.HashData(txn.Utf8)));
            Assert.That(pending.PayloadHash, Is.EqualTo(HMACSHA256.HashData(SHA256.HashData("orian development payload hash key: not a secret"u8), SHA256.HashData(txn.Utf8))));
            Assert.That(pending.PayloadKeyId, Is.EqualTo("dev"));
            Assert.That(pending.HasBytesOf(SHA256.HashData(txn.Utf8), null), Is.True, "a row not yet re-keyed still compares");
            Assert.That(pending.HasBytesOf(other.Hash(SHA256.HashData(txn.Utf8)), "other"), Is.False, "a key this process does not hold compares as different");
        });
    }

    [Test]
    public void AHashStoredUnderAnEarlierKeyStillComparesWhileThatKeyIsConfigured()
    {
        var oldKey = RandomNumberGenerator.GetBytes(32);
        var txn = new Txn();
        var storedUnderOld = HMACSHA256.HashData(oldKey, SHA256.HashData(txn.Utf8));
        var rotated = new PayloadKeys("k2", RandomNumberGenerator.GetBytes(32), [("k1", oldKey)]);
        var pending = new PendingEvent(txn.Parse(), txn.Utf8, DateTimeOffset.UnixEpoch, rotated);
        Assert.That(pending.PayloadKeyId, Is.EqualTo("k2"));
        Assert.That(pending.HasBytesOf(storedUnderOld, "k1"), Is.True);
        Assert.That(pending.HasBytesOf(storedUnderOld, "k2"), Is.False);
    }

    [TestCase("CVV2", "123", "456")]
    [TestCase("track_2", "4111111111111111=2512101", "4111111111111111=2612101")]
    [TestCase("pan", "4111111111111111", "4111119999941111")]
    [TestCase("note", "card 4111 1111 1111 1111", "card 4111 1199 9994 1111")]
    public void TwoBodiesThatDifferOnlyInARedactedMemberAreAConflictAndAReformattedOneADuplicate(string member, string first, string second)
    {
        // Both second values keep the first six and last four of the first: stored, the bodies are alike.
        var a = Body(member, first);
        var b = Body(member, second);
        Assert.That(member is "CVV2" or "track_2" || CardNumbers.Contains(first) && CardNumbers.Contains(second), Is.True, "test data: both are card numbers");
        var applied = Pending(a);
        var state = new TransactionState
        {
            Id = "T1", Version = 1, PayloadHash = applied.PayloadHash, PayloadKeyId = applied.PayloadKeyId, Status = "AUTHORISED", Effect = default,
        };
        var body = new AppliedBody(applied.RawJson, applied.RedactedHash, applied.PayloadKeyId);
        Assert.Multiple(() =>
        {
            Assert.That(VersionRule.Classify(state, Pending(b), () => body), Is.EqualTo(VersionOutcome.Conflict));
            Assert.That(VersionRule.Classify(state, Pending(a.Replace(",", ", ", StringComparison.Ordinal)), () => body), Is.EqualTo(VersionOutcome.Duplicate));
            Assert.That(VersionRule.Classify(state, Pending(a), () => null), Is.EqualTo(VersionOutcome.Duplicate), "the same bytes need no body");
            Assert.That(VersionRule.Classify(state, Pending(a.Replace(",", ", ", StringComparison.Ordinal)), () => body with { Json = null }),
                Is.EqualTo(VersionOutcome.Conflict), "a purged body cannot show that other bytes hold the same value");
            Assert.That(VersionRule.Classify(state, Pending(a.Replace(",", ", ", StringComparison.Ordinal)), () => body with { RedactedHash = null }),
                Is.EqualTo(VersionOutcome.Duplicate), "a body stored before redactions were recorded compares as it always did");
        });

        static string Body(string member, string value) =>
            """{"id":"T1","version":1,"txn_lifecycle_status":"AUTHORISED","payer":{"card":{"MEMBER":"VALUE"}}}"""
                .Replace("MEMBER", member, StringComparison.Ordinal).Replace("VALUE", value, StringComparison.Ordinal);

        static PendingEvent Pending(string json)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            return new PendingEvent(OrianParser.Parse(bytes, out _)!, bytes, DateTimeOffset.UnixEpoch, PayloadKeys.Development);
        }
    }

    [Test]
    public void ACodeHoldingACardNumberIsMaskedBeforeAnythingStoresLogsOrSendsIt()
    {
        var txn = new Txn { Scheme = Visa, MerchantCategory = "4111 1111 1111 1111" };
        var evt = txn.Parse();
        Assert.That(evt.SchemeId, Is.EqualTo("411111******1111"));
        Assert.That(evt.MerchantCategory, Is.EqualTo("4111 11** **** 1111"));
    }

    [Test]
    public void ALogValueIsMaskedBeforeItIsCutSoANumberAcrossTheCutIsStillHidden()
    {
        // Cut first, the 80 characters would end in ten digits of the number, which alone are no card
        // number to find: all ten would be logged.
        var value = new string('a', 70) + Visa + " tail";
        var logged = new Orian.Service.Diagnostics.Untrusted(value).ToString();
        Assert.That(logged, Is.EqualTo(new string('a', 70) + "411111****...(91 chars)"));
    }

    // ---- Properties: whatever the shape and position of a card number, none survives. ----------

    /// <summary>A card number as PPS might send it by mistake.</summary>
    internal sealed record Placement(string Pan, string Shape, string Where, string Before, string After)
    {
        public override string ToString() => $"{Shape} {Pan} at {Where} ('{Before}'…'{After}')";
    }

    /// <summary>Luhn-valid numbers of 13 to 19 digits.</summary>
    internal static readonly Gen<string> Pans =
        from length in Gen.Choose(CardNumbers.MinLength, CardNumbers.MaxLength)
        from digits in Gen.ArrayOf(Gen.Choose(0, 9), length - 1)
        select WithCheckDigit(string.Concat(digits));

    /// <summary>How the digits are written: one run, groups of four with spaces or dashes, Amex 4-6-5, or a JSON number.</summary>
    internal static string Shape(string pan, string shape) => shape switch
    {
        "spaces" => string.Join(' ', pan.Chunk(4).Select(c => new string(c))),
        "dashes" => string.Join('-', pan.Chunk(4).Select(c => new string(c))),
        "4-6-5" when pan.Length == 15 => $"{pan[..4]} {pan[4..10]} {pan[10..]}",
        _ => pan,
    };

    internal static readonly Gen<Placement> Placements =
        from pan in Pans
        from shape in Gen.Elements("run", "spaces", "dashes", "4-6-5", "number")
        from at in Gen.Elements("masked_pan", "result_message", "extra_note", "nested.pan", "nested.id", "list[1]", "name", "scheme_id", "category_auth")
        from before in Gen.Elements("", "card ", "x:", "ref 12 ", "(", "é ")
        from after in Gen.Elements("", " declined", ";exp=2512", " 2512", ")", " ü")
        select new Placement(pan, shape, at, before, after);

    /// <summary>An ORIAN body with the card number placed; codes stay within the 64-character limit.</summary>
    internal static string BodyWith(Placement p, string id)
    {
        var written = Shape(p.Pan, p.Shape);
        var text = p.Before + written + p.After;
        var txn = new Txn { Id = id, Result = "APPROVED" };
        var root = System.Text.Json.Nodes.JsonNode.Parse(txn.Json)!.AsObject();
        System.Text.Json.Nodes.JsonNode value = p.Shape == "number" && p.Where is "nested.pan" or "list[1]"
            ? System.Text.Json.Nodes.JsonValue.Create(decimal.Parse(p.Pan, System.Globalization.CultureInfo.InvariantCulture))
            : System.Text.Json.Nodes.JsonValue.Create(text)!;
        switch (p.Where)
        {
            case "masked_pan": root["payer"]!["card"]!["masked_pan"] = value; break;
            case "result_message": root["txn_result"]!["result_message"] = value; break;
            case "nested.pan": root["payer"]!["card"]!["pan"] = value; break;
            case "nested.id": root["payee"]!["acceptor"]!["id"] = value; break;
            case "list[1]": root["notes"] = new System.Text.Json.Nodes.JsonArray("first", value); break;
            case "name": root["payee"]!["acceptor"]![text] = "x"; break;
            case "scheme_id": root["scheme_id"] = value; break;
            case "category_auth": root["payee"]!["acceptor"]!["category_auth"] = value; break;
            default: root["extra_note"] = value; break;
        }

        return root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Whether <paramref name="text"/> still shows the number: its digits in a row, or in
    /// groups with any of the separators the generator uses.</summary>
    internal static bool Shows(string text, string pan) =>
        new[] { "run", "spaces", "dashes", "4-6-5" }.Any(shape => text.Contains(Shape(pan, shape), StringComparison.Ordinal));

    [FsCheck.NUnit.Property(MaxTest = 500, QuietOnSuccess = true)]
    public Property NoCardNumberSurvivesInTheStoredBodyOrTheParsedCodes() =>
        // Half the ids pass Luhn themselves (ORIAN's example id): they keep their digits, nothing else does.
        Prop.ForAll(Placements.ToArbitrary(), Gen.Elements("CD-1", "18020114280135473").ToArbitrary(), (p, id) =>
        {
            var json = BodyWith(p, id);
            var bytes = Encoding.UTF8.GetBytes(json);
            var evt = OrianParser.Parse(bytes, out var error);
            if (evt is null)
            {
                // A code over 64 characters is refused at the edge: nothing stored at all.
                return (error!.Message.Contains("64", StringComparison.Ordinal)).Label($"refused only for length: {error.Message}");
            }

            var pending = new PendingEvent(evt, bytes, DateTimeOffset.UnixEpoch, PayloadKeys.Development);
            var codes = string.Join("|", evt.SchemeId, evt.MerchantCategory, evt.MaskedPan, evt.ResultMessage, evt.StatusText, evt.TxnTypeCode);
            return (!Shows(pending.RawJson, p.Pan)).Label($"stored body: {pending.RawJson}")
                .And((!Shows(codes, p.Pan)).Label($"codes: {codes}"))
                .And((!CardNumbers.Contains(Unescaped(pending.RawJson).Replace($"\"id\":\"{id}\"", "", StringComparison.Ordinal)))
                    .Label("no 13-19 digit Luhn-valid run anywhere but the top-level id"))
                .And((!pending.PayloadHash.AsSpan().SequenceEqual(SHA256.HashData(bytes))).Label("the stored hash is not a plain hash of the body"))
                .And((JsonDocument.Parse(pending.RawJson) is not null).Label("the stored body is JSON"));
        });

    [FsCheck.NUnit.Property(MaxTest = 300, QuietOnSuccess = true)]
    public Property AnyTextMaskedHidesEveryNumberItHolds() =>
        Prop.ForAll((
            from pan in Pans
            from shape in Gen.Elements("run", "spaces", "dashes", "4-6-5")
            from before in Gen.Elements("", "a", " ", "-", "1 ", "12-", "x 9 ")
            from after in Gen.Elements("", "b", " ", "-", " 1", "-12", " 2512")
            select before + Shape(pan, shape) + after + "|" + pan).ToArbitrary(),
            c =>
            {
                var (text, pan) = (c[..c.IndexOf('|', StringComparison.Ordinal)], c[(c.IndexOf('|', StringComparison.Ordinal) + 1)..]);
                var masked = CardNumbers.Mask(text);
                return (!Shows(masked, pan)).Label(masked).And((masked.Length == text.Length).Label("same length"));
            });

    [FsCheck.NUnit.Property(MaxTest = 1000, QuietOnSuccess = true)]
    public Property MaskingAgreesWithAPlainReadingOfTheRule() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Frequency((12, Gen.Choose('0', '9').Select(c => (char)c)), (3, Gen.Constant(' ')), (2, Gen.Constant('-')), (1, Gen.Constant('x'))))
            .Select(chars => new string(chars)).ToArbitrary(), text =>
        {
            var expected = text.ToCharArray();
            // Chains: maximal stretches of digit groups joined by single separators.
            var i = 0;
            while (i < text.Length)
            {
                if (!char.IsAsciiDigit(text[i]))
                {
                    i++;
                    continue;
                }

                var groups = new List<(int Start, int End)>();
                while (true)
                {
                    var s = i;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }

                    groups.Add((s, i));
                    if (i + 1 < text.Length && text[i] is ' ' or '-' && char.IsAsciiDigit(text[i + 1]))
                    {
                        i++;
                        continue;
                    }

                    break;
                }

                for (var g = 0; g < groups.Count; g++)
                {
                    for (var h = g; h < groups.Count; h++)
                    {
                        var positions = groups.Skip(g).Take(h - g + 1).SelectMany(x => Enumerable.Range(x.Start, x.End - x.Start)).ToList();
                        var digits = string.Concat(positions.Select(p => text[p]));
                        if (digits.Length is >= CardNumbers.MinLength and <= CardNumbers.MaxLength && Luhn(digits))
                        {
                            foreach (var p in positions.Skip(6).Take(positions.Count - 10))
                            {
                                expected[p] = '*';
                            }
                        }
                    }
                }
            }

            var masked = CardNumbers.Mask(text);
            return (masked == new string(expected)).Label($"'{text}' -> '{masked}', expected '{new string(expected)}'")
                .And((CardNumbers.Contains(text) == (masked != text)).Label("Contains agrees with Mask"));

            // Luhn as written in the standard: from the right, every second digit doubled, 9 taken off above 9.
            static bool Luhn(string digits) =>
                digits.Reverse().Select((c, k) => k % 2 == 0 ? c - '0' : (c - '0') * 2 > 9 ? (c - '0') * 2 - 9 : (c - '0') * 2).Sum() % 10 == 0;
        });

    private static string Unescaped(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement,
        new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static string WithCheckDigit(string digits)
    {
        for (var check = 0; check <= 9; check++)
        {
            if (CardNumbers.IsPan(digits + check))
            {
                return digits + check;
            }
        }

        throw new InvalidOperationException("unreachable: one check digit always fits");
    }
}
