-- wrk script: OneNET device checks (POST /ota/south/check) from DEVICES distinct devices, so every
-- device gets (and then reuses) its own token. AUTH is the device Authorization header.
-- Counts answers whose errno is not 0, which wrk would otherwise call successes (they are HTTP 200).
local devices = tonumber(os.getenv("DEVICES") or "10000")
local auth = os.getenv("AUTH")
local counter = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_offered = 0
  math.randomseed(os.time() + math.random(1, 100000))
end

function request()
  counter = counter + 1
  local dev = math.random(1, devices)
  local body = '{"dev_id":' .. dev .. ',"manuf":"China Mobile","model":"M5310","type":1,"version":"1.0","cdn":false}'
  return wrk.format("POST", "/ota/south/check",
    { ["Content-Type"] = "application/json", ["Authorization"] = auth }, body)
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"errno":0', 1, true) then
    not_offered = not_offered + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("not_offered")
  end
  io.write(string.format("not offered (status != 200 or errno != 0): %d\n", bad))
end
