-- Loaded into every wrk run by bench/run (lead.lua loads it too): the
-- percentiles `wrk --latency` does not print, for bench/report.py.
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("bench-p%d-ms %.3f\n", p, latency:percentile(p) / 1000))
  end
end
