-- A simulated LuatOS board running one upgrade check with a fota client library:
--   lua5.4 device.lua <libfota2|libfota> <path of the library's .lua file>
-- LuatOS' built-in modules are our shims (shims/); the library is either LuatOS' own file or our
-- builder (builders/). The script's globals come from the environment:
--   LUATOS_PROJECT, LUATOS_VERSION (the script's PROJECT and VERSION), LUATOS_PRODUCT_KEY (PRODUCT_KEY),
--   LUATOS_URL (libfota2: opts.url; libfota: its ota_url), LUATOS_OPTS_VERSION (libfota2: opts.version).
-- stdout carries the exchange with the Java test (shims/http.lua) and the result: "CALLBACK\t<n>".
local kind, library = arg[1], arg[2]
local here = arg[0]:match("^(.*)[/\\]") or "."
package.path = here .. "/shims/?.lua;" .. package.path

local function env(name)
    local v = os.getenv(name)
    return (v ~= nil and v ~= "") and v or nil
end

-- LuatOS' built-in modules, as globals the way the firmware provides them.
local profile = require("device_profile")
sys = require("sys")
log = require("log")
rtos = require("rtos")
hmeta = require("hmeta")
mcu = require("mcu")
json = require("json")
http = require("http")
local radios = require("network")
mobile, wlan = radios.mobile, radios.wlan
fota = profile.fota and {} or nil
-- LuatOS' string extension: hex of the bytes, upper case, and the hex length.
function string.toHex(s)
    local hex = s:gsub(".", function(c) return string.format("%02X", c:byte()) end)
    return hex, #hex
end

-- The user script's globals.
PROJECT = env("LUATOS_PROJECT")
VERSION = env("LUATOS_VERSION")
PRODUCT_KEY = env("LUATOS_PRODUCT_KEY")

local client = dofile(library)
local function done(result)
    io.stdout:write("CALLBACK\t", tostring(result), "\n")
    io.stdout:flush()
end

if kind == "libfota2" then
    local opts = nil
    if env("LUATOS_URL") or env("LUATOS_OPTS_VERSION") then
        opts = { url = env("LUATOS_URL"), version = env("LUATOS_OPTS_VERSION") }
    end
    client.request(done, opts)
elseif kind == "libfota" then
    client.request(done, env("LUATOS_URL"))
else
    error("unknown client " .. tostring(kind))
end
sys.run()
