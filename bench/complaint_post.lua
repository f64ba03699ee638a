-- Durable complaint submissions through the Open311 API (wrk -s): each request a new complaint.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local n = 0
request = function()
  n = n + 1
  local body = "api_key=benchkey&service_code=noise&address_string=%E6%96%B0%E5%8C%BA%E5%88%9B%E6%96%B0%E5%A4%A7%E8%A1%97"
    .. "&description=%E5%A4%9C%E9%97%B4%E6%96%BD%E5%B7%A5%E5%99%AA%E5%A3%B0%E6%89%B0%E6%B0%91%EF%BC%8C%E7%BC%96%E5%8F%B7" .. n
  return wrk.format(nil, "/open311/v2/requests.json", nil, body)
end
