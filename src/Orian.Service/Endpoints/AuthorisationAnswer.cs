using System.Text.Json.Nodes;
using Orian.Authorisation;
using Orian.Ledger;

namespace Orian.Service.Endpoints;

/// <summary>
/// The answer to a delegated authorisation request: the transaction resource PPS sent, with our
/// decision in <c>txn_result</c> (<c>result</c>, <c>result_detail</c>, <c>result_message</c>, and
/// <c>approved_amount</c> for partial approvals).
/// </summary>
internal static class AuthorisationAnswer
{
    public static IResult For(PendingEvent pending, Decision decision, string? outcome)
    {
        var resource = JsonNode.Parse(pending.AnswerJson ?? pending.RawJson)!.AsObject();
        var result = new JsonObject
        {
            ["result"] = decision.ResultText,
            ["result_detail"] = decision.Detail,
        };
        if (decision.Message is { } message)
        {
            result["result_message"] = message;
        }

        if (decision.ApprovedAmount is { } approved)
        {
            result["approved_amount"] = new JsonObject
            {
                ["amount"] = approved.Minor,
                ["currency"] = new JsonObject { ["code"] = approved.Currency, ["exponent"] = approved.Exponent },
            };
        }

        resource["txn_result"] = result;
        if (outcome is not null)
        {
            // What the version rule made of this request (a re-send is "duplicate"); not part of ORIAN.
            resource["orian_outcome"] = outcome;
        }

        return TypedResults.Text(resource.ToJsonString(), "application/json", System.Text.Encoding.UTF8);
    }
}
