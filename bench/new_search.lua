-- A search no one asked before at each request: the path ends with a
-- parameter (bench/tile_paths.py: surface_min=) and each request gives it
-- another value, from 5 to 5.9999 ha, each wrk thread from its own offset.
-- Loads stats.lua for the percentiles bench/report.py reads.
dofile("bench/stats.lua")

local threads = 0
function setup(thread)
  thread:set("offset", threads * 4999)
  threads = threads + 1
end

local count = 0
function request()
  count = count + 1
  local bound = 5 + ((offset + count) % 10000) / 10000
  return wrk.format(nil, wrk.path .. string.format("%.4f", bound))
end
