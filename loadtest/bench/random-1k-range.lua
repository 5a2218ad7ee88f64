-- wrk script: every request asks for a random 1 KiB range of the firmware, the NB-IoT pattern.
-- FILE_SIZE comes from the environment (set by edge-vs-nginx.sh).
local size = tonumber(os.getenv("FILE_SIZE"))
local chunk = 1024

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed)
end

request = function()
  local first = math.random(0, size - chunk)
  return wrk.format("GET", nil, { ["Range"] = "bytes=" .. first .. "-" .. (first + chunk - 1) })
end
-- wrk reports any status outside 2xx/3xx as "Non-2xx or 3xx responses"; the script checks for it.
