-- LuatOS' mcu: the chip's unique id as raw bytes (scripts print it with :toHex()).
local profile = require("device_profile")
local mcu = {}

function mcu.unique_id()
    return (profile.uid_hex:gsub("%x%x", function(h) return string.char(tonumber(h, 16)) end))
end

return mcu
