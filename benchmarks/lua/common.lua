-- Shared by the benchmark's wrk scripts: the bearer token on every request, and
-- a done() that prints the figures as one JSON line (wrk's own --latency output
-- has no p95). Latencies are in microseconds.
local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function bench_headers(token)
   return {
      ["Authorization"] = "Bearer " .. token,
      ["Accept"] = "application/json",
   }
end

function done(summary, latency, requests)
   local statuses = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("statuses")
      if counts then
         for code, n in pairs(counts) do
            statuses[code] = (statuses[code] or 0) + n
         end
      end
   end
   local parts = {}
   for code, n in pairs(statuses) do
      table.insert(parts, string.format('"%s":%d', code, n))
   end
   io.write(string.format(
      'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"statuses":{%s},' ..
      '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,' ..
      '"p50":%d,"p75":%d,"p90":%d,"p95":%d,"p99":%d,"p99.9":%d}}\n',
      summary.requests, summary.duration, summary.bytes,
      summary.errors.connect, summary.errors.read, summary.errors.write,
      summary.errors.status, summary.errors.timeout,
      table.concat(parts, ","),
      latency.min, latency.mean, latency.stdev, latency.max,
      latency:percentile(50), latency:percentile(75), latency:percentile(90),
      latency:percentile(95), latency:percentile(99), latency:percentile(99.9)))
end

statuses = {}

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end
