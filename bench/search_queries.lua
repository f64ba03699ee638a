-- Drives the search API with the distinct queries of BENCH_QUERY_FILE (one a line, written by
-- bench_raw_xapian queries), each wrk thread from its own offset, in order, so every query is
-- asked once before any is asked again (wrk -s). BENCH_PAGE_SIZE hits a page (default 10: the
-- raw baseline's get_mset(0, 10), so both sides rank and snippet as many hits).
local queries = {}
local file = assert(io.open(os.getenv("BENCH_QUERY_FILE"), "r"))
for line in file:lines() do
  if #line > 0 then queries[#queries + 1] = line end
end
file:close()

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local page_size = os.getenv("BENCH_PAGE_SIZE") or "10"
local paths = {}
for i, q in ipairs(queries) do paths[i] = "/api/v1/search?page_size=" .. page_size .. "&q=" .. encode(q) end

local counter = 0
setup = function(thread)
  thread:set("offset", counter * math.floor(#paths / 2))
  counter = counter + 1
end

local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[((offset or 0) + i) % #paths + 1])
end
