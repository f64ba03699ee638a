-- Many distinct item pages (wrk -s): fills the page cache the way a crawler would.
-- BENCH_ITEM_PATHS: a file of item page paths, one a line (/items/<department>/<code>; ratios.sh
-- writes it from the database after bench_corpus, since an item's address names its department).
local paths = {}
local file = assert(io.open(os.getenv("BENCH_ITEM_PATHS"), "r"))
for line in file:lines() do
  if #line > 0 then paths[#paths + 1] = line end
end
file:close()
math.randomseed(7)
request = function()
  return wrk.format("GET", paths[math.random(1, #paths)])
end
