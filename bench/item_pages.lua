-- Many distinct item pages (wrk -s): fills the page cache the way a crawler would.
-- BENCH_ITEMS items named BN-0 .. BN-(n-1) (bench_corpus).
local n = tonumber(os.getenv("BENCH_ITEMS") or "100000")
math.randomseed(7)
request = function()
  return wrk.format("GET", "/items/BN-" .. math.random(0, n - 1))
end
