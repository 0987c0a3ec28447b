-- wrk script: PUT varied ORIAN events at the service, as PPS would.
-- Mix per request: 55% new debit authorisations, 25% clearings of an earlier authorisation
-- (version 2), 5% loads (credits), 10% re-sends of an earlier version 1 (duplicate, or stale once
-- cleared), 5% non-financial. Ids and amounts are derived from a counter, so a re-send is
-- byte-identical. Counts every answer by status and prints them at the end.
-- usage: wrk -s events.lua <url> -- <run-id> <basic-auth-base64> [accounts]

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local run, auth, accounts  -- tid is a global set by setup()
local counter = 0
ok, unavailable, rejected, other = 0, 0, 0, 0

function init(args)
  run = args[1] or tostring(os.time())
  auth = "Basic " .. (args[2] or "")
  accounts = tonumber(args[3] or "2000")
  math.randomseed(tid * 7919 + os.time())
end

local template = '{"id":"%s","version":%d,"scheme_id":"MC","product_class_id":"LOAD","txn_lifecycle_status":"%s",' ..
  '"txn_result":{"result":"APPROVED","result_detail":"SUCCESSFUL"},' ..
  '"%s":{"account":{"account_no":"%s"},"card":{"masked_pan":"123456******9876"}},' ..
  '"%s":{"acceptor":{"name":"Load Merchant","category_auth":"5812"}},' ..
  '"txn_type":{"code":"%s","direction":"%s","reversal":false,"financial":%s},' ..
  '"authorisation":{"txn_amounts":{' ..
  '"requested_amount":{"amount":%d,"currency":{"code":"GBP","exponent":2}},' ..
  '"cardholder_amount":{"amount":%d,"currency":{"code":"GBP","exponent":2}},' ..
  '"cardholder_final_amount":{"amount":%d,"currency":{"code":"GBP","exponent":2}}}}}'

local function event(n, version, status, direction, financial)
  local id = run .. "-" .. tid .. "-" .. n
  local account = "L" .. tid .. "-" .. (n % accounts)
  local amount = 100 + (n * 37) % 9000
  local payer, payee, code = "payer", "payee", "REDEMPTION"
  if direction == "CREDIT" then payer, payee, code = "payee", "payer", "LOAD" end
  local body = string.format(template, id, version, status, payer, account, payee, code, direction, financial,
    amount, amount, amount)
  return wrk.format("PUT", "/v2/transactions/" .. id,
    { ["Content-Type"] = "application/json", ["Authorization"] = auth }, body)
end

function request()
  counter = counter + 1
  local r = math.random(100)
  if counter < 20 or r <= 55 then
    return event(counter, 1, "AUTHORISED", "DEBIT", "true")
  elseif r <= 80 then
    return event(math.random(counter - 1), 2, "COMPLETE", "DEBIT", "true")
  elseif r <= 85 then
    return event(counter, 1, "COMPLETE", "CREDIT", "true")
  elseif r <= 95 then
    return event(math.random(counter - 1), 1, "AUTHORISED", "DEBIT", "true")
  else
    return event(counter, 1, "COMPLETE", "DEBIT", "false")
  end
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1
  elseif status == 503 or status == 429 then unavailable = unavailable + 1
  elseif status >= 400 and status < 500 then rejected = rejected + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local totals = { ok = 0, unavailable = 0, rejected = 0, other = 0 }
  for _, t in ipairs(threads) do
    for k, _ in pairs(totals) do totals[k] = totals[k] + (t:get(k) or 0) end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("acknowledged (200): %d  unavailable (503/429): %d  rejected (4xx): %d  other: %d\n",
    totals.ok, totals.unavailable, totals.rejected, totals.other))
  io.write(string.format("acknowledged events/s: %.0f\n", totals.ok / seconds))
  io.write(string.format("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
  local f = io.open(os.getenv("ORIAN_LOAD_RESULT") or "/dev/null", "w")
  if f then f:write(totals.ok, "\n"); f:close() end
end
