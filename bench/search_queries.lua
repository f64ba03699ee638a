-- Rotates through citizens' queries against the search API (wrk -s).
local paths = {
  "/api/v1/search?q=%E9%87%8E%E5%B9%BF%E5%91%8A",
  "/api/v1/search?q=%E5%99%AA%E9%9F%B3%E6%89%B0%E6%B0%91",
  "/api/v1/search?q=%E5%B7%A5%E5%9C%B0%E6%89%AC%E5%B0%98",
  "/api/v1/search?q=%E5%BB%BA%E7%AD%91%E8%AE%B8%E5%8F%AF",
  "/api/v1/search?q=%E6%97%A0%E8%AF%81%E8%A1%8C%E5%8C%BB",
  "/api/v1/search?q=%E6%8B%96%E6%AC%A0%E5%B7%A5%E8%B5%84",
  "/api/v1/search?q=%E9%A3%9F%E5%93%81%E7%BB%8F%E8%90%A5%E8%AE%B8%E5%8F%AF",
  "/api/v1/search?q=%E5%8D%A0%E9%81%93%E7%BB%8F%E8%90%A5",
  "/api/v1/search?q=%E8%BF%87%E6%9C%9F%E9%A3%9F%E5%93%81",
  "/api/v1/search?q=%E6%88%B7%E5%A4%96%E5%B9%BF%E5%91%8A",
  "/api/v1/search?q=%E5%8D%B1%E9%99%A9%E5%8C%96%E5%AD%A6%E5%93%81",
  "/api/v1/search?q=%E7%BD%91%E7%BA%A6%E8%BD%A6",
  "/api/v1/search?q=%E7%89%B9%E7%A7%8D%E8%AE%BE%E5%A4%87",
  "/api/v1/search?q=%E5%BB%BA%E7%AD%91%E5%9E%83%E5%9C%BE",
  "/api/v1/search?q=%E9%A4%90%E9%A5%AE%E6%B2%B9%E7%83%9F",
  "/api/v1/search?q=%E5%AE%89%E5%85%A8%E7%94%9F%E4%BA%A7%E5%9F%B9%E8%AE%AD",
  "/api/v1/search?q=%E5%8A%B3%E5%8A%A8%E5%90%88%E5%90%8C",
  "/api/v1/search?q=%E7%8E%AF%E5%A2%83%E5%BD%B1%E5%93%8D%E8%AF%84%E4%BB%B7",
  "/api/v1/search?q=cf-zhzf-0001",
  "/api/v1/search?q=%E5%A4%A7%E6%B0%94%E6%B1%A1%E6%9F%93%E9%98%B2%E6%B2%BB%E6%B3%95",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
