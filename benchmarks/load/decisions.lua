-- wrk script: delegated authorisation requests, as PPS sends them, each a decision Orian commits
-- (with its hold) before it answers. The first two rounds of requests fund every account (completed
-- loads: the first request the first thread builds is never sent, seen here as its id never reaching
-- the service, so one round left an account unfunded and its decisions declined ACCOUNT_NOT_FOUND),
-- so decisions approve; each asks for 1.00-10.99 GBP.
-- Counts answers by decision.
-- usage: wrk -s decisions.lua <url> -- <run-id> <basic-auth-base64> [accounts] [funded]
-- "funded": the accounts were funded by an earlier run (the warm-up): send decisions only.

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local run, auth, accounts, funded
local counter = 0
approved, declined, standin, unavailable, other = 0, 0, 0, 0, 0

function init(args)
  run = args[1] or tostring(os.time())
  auth = "Basic " .. (args[2] or "")
  accounts = tonumber(args[3] or "500")
  funded = args[4] == "funded"
end

local template = '{"id":"%s","version":1,"scheme_id":"MC","product_class_id":"LOAD","txn_lifecycle_status":"%s",%s' ..
  '"%s":{"account":{"account_no":"%s"},"card":{"masked_pan":"123456******9876"}},' ..
  '"%s":{"acceptor":{"name":"Load Merchant","category_auth":"5812"}},' ..
  '"txn_type":{"code":"%s","direction":"%s","reversal":false,"financial":true},' ..
  '"authorisation":{"txn_amounts":{' ..
  '"requested_amount":{"amount":%d,"currency":{"code":"GBP","exponent":2}},' ..
  '"cardholder_amount":{"amount":%d,"currency":{"code":"GBP","exponent":2}},' ..
  '"cardholder_final_amount":{"amount":%d,"currency":{"code":"GBP","exponent":2}}}}}'

function request()
  counter = counter + 1
  local id = run .. "-" .. tid .. "-" .. counter
  local account = "D" .. tid .. "-" .. (counter % accounts)
  local body
  if not funded and counter <= 2 * accounts then
    body = string.format(template, id, "COMPLETE", '"txn_result":{"result":"APPROVED"},', "payee", account, "payer", "LOAD", "CREDIT",
      100000000, 100000000, 100000000)
  else
    local amount = 100 + (counter * 37) % 1000
    body = string.format(template, id, "AUTHORISATION_REQUESTED", "", "payer", account, "payee", "PURCHASE", "DEBIT", amount, amount, amount)
  end
  return wrk.format("PUT", "/v2/transactions/" .. id, { ["Content-Type"] = "application/json", ["Authorization"] = auth }, body)
end

function response(status, headers, body)
  if status == 200 then
    if string.find(body, '"SYSTEM_ERROR"', 1, true) then standin = standin + 1
    elseif string.find(body, '"result":"DECLINED"', 1, true) then declined = declined + 1
    else approved = approved + 1 end
  elseif status == 503 or status == 429 then unavailable = unavailable + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local totals = { approved = 0, declined = 0, standin = 0, unavailable = 0, other = 0 }
  for _, t in ipairs(threads) do
    for k, _ in pairs(totals) do totals[k] = totals[k] + (t:get(k) or 0) end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("answered: approved %d  declined %d  stand-in %d  unavailable (503/429) %d  other %d\n",
    totals.approved, totals.declined, totals.standin, totals.unavailable, totals.other))
  io.write(string.format("answered requests/s: %.0f\n", (totals.approved + totals.declined + totals.standin) / seconds))
  io.write(string.format("latency ms: p50 %.2f  p99 %.2f  max %.2f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
