using System.Text.Json.Serialization;
using Orian.Outbox;

namespace Orian.Api;

// The ORIAN v2 transaction as the API document describes it: the members Orian reads (docs/orian-wire.md),
// never a type the service reads bodies into (the parser reads the bytes themselves, and keeps every
// member it does not know). Everything else a body carries is allowed and stored as received.

/// <summary>One version of a PPS ORIAN v2 transaction.</summary>
public sealed record OrianTransactionModel(
    [property: JsonRequired] string Id,
    [property: JsonRequired] long Version,
    [property: JsonRequired] string TxnLifecycleStatus,
    string? SchemeId = null,
    string? ProductClassId = null,
    string? CreatedDateTime = null,
    OrianResultModel? TxnResult = null,
    OrianTxnTypeModel? TxnType = null,
    OrianPartyModel? Payer = null,
    OrianPartyModel? Payee = null,
    OrianAcceptanceModel? Acceptance = null,
    OrianAmountsModel? Authorisation = null,
    OrianAmountsModel? Clearing = null);

/// <summary>The result: <c>APPROVED</c>, <c>PARTIALLY_APPROVED</c>, <c>DECLINED</c>...; on an authorisation
/// request Orian's answer carries its decision here.</summary>
public sealed record OrianResultModel(string? Result = null, string? ResultDetail = null, string? ResultMessage = null, AmountModel? ApprovedAmount = null);

/// <summary>What kind of transaction: <c>direction</c> says whose account moves (<c>DEBIT</c> the payer's,
/// <c>CREDIT</c> the payee's); a non-<c>financial</c> one moves no money.</summary>
public sealed record OrianTxnTypeModel(string? Code = null, string? Direction = null, bool? Reversal = null, bool? Financial = null);

public sealed record OrianPartyModel(OrianAccountRefModel? Account = null, OrianAcceptorModel? Acceptor = null, OrianCardModel? Card = null);

public sealed record OrianAccountRefModel(string? AccountNo = null, string? BalanceCode = null);

/// <summary>The merchant: its category code, which authorisation controls may block.</summary>
public sealed record OrianAcceptorModel(string? CategoryAuth = null);

/// <summary>The card, masked (a full card number sent here is masked before anything is stored or logged).</summary>
public sealed record OrianCardModel(string? MaskedPan = null);

public sealed record OrianAcceptanceModel(string? TxnSecureAuthResult = null);

public sealed record OrianAmountsModel(OrianTxnAmountsModel? TxnAmounts = null);

/// <summary>Amounts in integer minor units of their currency (0 to 10^15).</summary>
public sealed record OrianTxnAmountsModel(AmountModel? RequestedAmount = null, AmountModel? CardholderAmount = null, AmountModel? CardholderFinalAmount = null);

/// <summary>The answer to a delegated authorisation request (a 200, whatever the decision): the transaction
/// resource as received, every member of it including those Orian does not read, with Orian's decision in
/// <c>txn_result</c>; and <c>orian_outcome</c>, what the version rule made of the request (a re-send is
/// <c>duplicate</c>), absent when the answer is a stand-in given without a commit.</summary>
public sealed record OrianAuthorisationAnswerModel(
    [property: JsonRequired] string Id,
    [property: JsonRequired] long Version,
    [property: JsonRequired] OrianDecisionModel TxnResult,
    string? OrianOutcome = null);

/// <summary>The decision: <c>result</c> <c>APPROVED</c>, <c>PARTIALLY_APPROVED</c> (with <c>approved_amount</c>)
/// or <c>DECLINED</c>; <c>result_detail</c> why; <c>result_message</c> and <c>approved_amount</c> only when they apply.</summary>
public sealed record OrianDecisionModel(
    [property: JsonRequired] string Result,
    [property: JsonRequired] string ResultDetail,
    string? ResultMessage = null,
    AmountModel? ApprovedAmount = null);
