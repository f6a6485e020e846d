-- POST /api/v1/complaints with a unique Idempotency-Key per request.
-- Arguments (after --): token organisation_id known_customers nonce known_share
-- A share of requests names a seeded customer by account number (found), the
-- rest a new customer (account number, e-mail: looked up, then created).
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua"
require("common")

local token, organisation, known, nonce, known_share
local counter = 0

function init(args)
   token, organisation, known, nonce = args[1], args[2], tonumber(args[3]), args[4]
   known_share = tonumber(args[5] or "0.5")
   math.randomseed(os.time() * 100 + id)
end

function request()
   counter = counter + 1
   local key = string.format("wrk-%s-%d-%d", nonce, id, counter)
   local account, email
   if math.random() < known_share then
      local n = math.random(0, known - 1)
      account = string.format("A0-%07d", n)
      email = string.format("customer%d@northwind.example", n)
   else
      account = string.format("N-%s-%d-%d", nonce, id, counter)
      email = string.format("new-%s-%d-%d@example.test", nonce, id, counter)
   end
   local body = string.format(
      '{"organisation_id":%s,"channel":"web","subject":"Charged twice for October",' ..
      '"description":"The October invoice was charged twice to my card. Please refund it.",' ..
      '"category":"billing","product":"Fibre 500","account_number":"%s",' ..
      '"customer":{"full_name":"Bench Customer %d-%d","email":"%s","account_number":"%s"},' ..
      '"demands":[{"kind":"refund","amount":"25.00","currency":"CZK"},' ..
      '{"kind":"apology","detail":"A written apology."}]}',
      organisation, account, id, counter, email, account)
   local headers = bench_headers(token)
   headers["Content-Type"] = "application/json"
   headers["Idempotency-Key"] = key
   return wrk.format("POST", "/api/v1/complaints", headers, body)
end
