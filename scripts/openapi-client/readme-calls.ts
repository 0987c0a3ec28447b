// The calls the README shows, written against the client openapi-typescript generates from
// docs/openapi.json (generated/orian.d.ts, made by scripts/check-openapi-client.sh). This file is
// only type-checked, never run: it fails to compile when the document stops describing them.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/orian";

const base = "http://127.0.0.1:5080";
const pps = createClient<paths>({ baseUrl: base, headers: { Authorization: "Basic " + btoa("pps:pps-dev-password") } });

// A notification: a load of 50.00 GBP onto account 73648576.
const load: components["schemas"]["OrianTransactionModel"] = {
  id: "LOAD-73648576-0001",
  version: 1,
  scheme_id: "PPS_LOAD",
  txn_lifecycle_status: "COMPLETE",
  txn_result: { result: "APPROVED", result_detail: "SUCCESSFUL" },
  payee: { account: { account_no: "73648576", balance_code: "MAIN" } },
  txn_type: { code: "LOAD", direction: "CREDIT", reversal: false, financial: true },
  authorisation: { txn_amounts: { cardholder_final_amount: { amount: 5000, currency: { code: "GBP", exponent: 2 } } } },
};
const put = await pps.PUT("/v2/transactions/{id}", { params: { path: { id: load.id } }, body: load });
if (put.data && "outcome" in put.data) {
  const outcome: string = put.data.outcome;
  const current: number = put.data.current_version;
  console.log(outcome, current);
}

// A delegated authorisation request: the same 200 carries the transaction with our decision in txn_result.
const request: components["schemas"]["OrianTransactionModel"] = {
  id: "18020114280135473",
  version: 1,
  txn_lifecycle_status: "AUTHORISATION_REQUESTED",
  payer: { account: { account_no: "73648576" }, card: { masked_pan: "123456******9876" } },
  txn_type: { code: "REDEMPTION", direction: "DEBIT", reversal: false, financial: true },
  authorisation: { txn_amounts: { requested_amount: { amount: 100, currency: { code: "GBP", exponent: 2 } } } },
};
const decided = await pps.PUT("/v2/transactions/{id}", { params: { path: { id: request.id } }, body: request });
if (decided.data && "txn_result" in decided.data) {
  const result: string = decided.data.txn_result.result;
  const approved: number | undefined = decided.data.txn_result.approved_amount?.amount;
  const outcome: string | null | undefined = decided.data.orian_outcome;
  console.log(result, approved, outcome);
}

// An operator key of one's own, with the bootstrap key, then the reads.
const bootstrap = createClient<paths>({ baseUrl: base, headers: { "X-Api-Key": "dev-operator-key-0001" } });
const created = await bootstrap.POST("/v1/api-keys", { body: { name: "me", roles: ["orian-admin"] } });
const key: string = created.data?.private_key ?? "";
const operator = createClient<paths>({ baseUrl: base, headers: { "X-Api-Key": key } });

const account = await operator.GET("/v1/accounts/{accountNo}", { params: { path: { accountNo: "73648576" } } });
if (account.data) {
  const available: number = account.data.available;
  const overdrawn: boolean = account.data.overdrawn;
  console.log(available, overdrawn);
}
if (account.error) {
  const problem: components["schemas"]["ProblemDetails"] = account.error;
  console.log(problem.title);
}

const decisions = await operator.GET("/v1/accounts/{accountNo}/decisions", { params: { path: { accountNo: "73648576" } } });
for (const d of decisions.data?.decisions ?? []) {
  console.log(d.transaction_id, d.result, d.hold_amount);
}

const txn = await operator.GET("/v1/transactions/{id}", { params: { path: { id: "18020114280135473" } } });
for (const v of txn.data?.versions ?? []) {
  console.log(v.version, v.outcome);
}

const journal = await operator.GET("/v1/accounts/{accountNo}/journal", { params: { path: { accountNo: "73648576" }, query: { limit: 50 } } });
console.log(journal.data?.entries.length, journal.data?.next_after);
