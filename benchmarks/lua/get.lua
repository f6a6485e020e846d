-- GET a fixed path (the list, with or without filters).
-- Arguments (after --): token path
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua"
require("common")

local req

function init(args)
   req = wrk.format("GET", args[2], bench_headers(args[1]))
end

function request()
   return req
end
