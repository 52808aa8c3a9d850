-- wrk script: GET a paged workbook list, cycling pageNumber 1..PAGES (pageSize 100).
-- Environment: SITE (site LUID), TOKEN (X-Tableau-Auth), PAGES (default 100).
local site = os.getenv("SITE")
local token = os.getenv("TOKEN")
local pages = tonumber(os.getenv("PAGES") or "100")
local counter = 0

function setup(thread)
  thread:set("offset", counter * 37)
  counter = counter + 1
end

function init(args)
  page = offset or 0
  statuses = {}
end

function request()
  page = page % pages + 1
  local path = "/api/3.24/sites/" .. site .. "/workbooks?pageSize=100&pageNumber=" .. page
  return wrk.format("GET", path, { ["X-Tableau-Auth"] = token, ["Accept"] = "application/json" })
end

function response(status, headers, body)
  if status ~= 200 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end
