-- GET /api/v1/complaints/{reference} for references drawn at random from a file.
-- Arguments (after --): token references_file
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua"
require("common")

local token
local refs = {}

function init(args)
   token = args[1]
   for line in io.lines(args[2]) do
      if #line > 0 then table.insert(refs, line) end
   end
   math.randomseed(os.time() * 100 + id)
end

function request()
   local ref = refs[math.random(1, #refs)]
   return wrk.format("GET", "/api/v1/complaints/" .. ref, bench_headers(token))
end
