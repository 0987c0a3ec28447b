import json, os
# Bodies sent, byte for byte, to a service built from main at 6ac1d90. Each transaction gets
# versions 1..n; some carry a full card number in masked_pan by mistake (what the assessor found).
pans = ["4111111111111111", "5555555555554444", "378282246310005", "6011111111111117"]
def body(i, v, status, result, amount, pan=None, msg=None, extra_ws=False):
    d = {
      "id": f"FX-{i:03d}", "version": v, "scheme_id": "MC", "product_class_id": "PC1",
      "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": status,
      "payer": {"account": {"account_no": f"ACC-{i%5}"}, "card": {"serial_no": "3902076592", "masked_pan": pan or "411111******1111"}},
      "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}},
      "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": False, "financial": True},
      "authorisation": {"txn_amounts": {k: {"amount": amount, "currency": {"code": "GBP", "exponent": 2}} for k in ("requested_amount","cardholder_amount","cardholder_final_amount")}},
    }
    if result: d["txn_result"] = {"result": result, "result_detail": "SUCCESSFUL", **({"result_message": msg} if msg else {})}
    return json.dumps(d, indent=2 if extra_ws else None)
out = []
for a in range(5):
    out.append(json.dumps({"id": f"LOAD-{a}", "version": 1, "scheme_id": "PPS_LOAD", "txn_lifecycle_status": "COMPLETE",
      "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"},
      "payee": {"account": {"account_no": f"ACC-{a}"}},
      "txn_type": {"code": "LOAD", "direction": "CREDIT", "reversal": False, "financial": True},
      "authorisation": {"txn_amounts": {"cardholder_final_amount": {"amount": 100000, "currency": {"code": "GBP", "exponent": 2}}}}}))
for i in range(20):
    pan = pans[i % 4] if i % 2 == 0 else None
    out.append(body(i, 1, "AUTHORISED", "APPROVED", 1000 + i, pan, extra_ws=(i % 3 == 0)))
    if i % 4 != 3:
        out.append(body(i, 2, "COMPLETE", "APPROVED", 1000 + i, pan, msg=("ok" if i % 5 == 0 else None)))
for n, b in enumerate(out):
    open(f"bodies/{n:03d}.json", "w").write(b)
print(len(out))
# a re-send (duplicate), a conflict (same version, another amount), an authorisation request
extra = [out[10], body(3, 1, "AUTHORISED", "APPROVED", 9999), body(1, 1, "AUTHORISED", "APPROVED", 9999), body(90, 1, "AUTHORISATION_REQUESTED", None, 500, pans[0])]
for k, b in enumerate(extra):
    open(f"bodies/{len(out)+k:03d}.json", "w").write(b)
