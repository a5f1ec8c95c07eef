-- wrk script: GET a rotating list of real paths (one per line in $PATHS_FILE), with keep-alive
-- and the Accept header of $ACCEPT (default application/json).
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do paths[#paths + 1] = line end
local accept = os.getenv("ACCEPT") or "application/json"
local i = 0
function setup(thread)
  thread:set("offset", #paths > 0 and math.random(#paths) or 0)
end
request = function()
  i = i + 1
  local path = paths[(i + (offset or 0)) % #paths + 1]
  return wrk.format("GET", path, { ["Accept"] = accept })
end
