-- LuatOS' mobile and wlan: present only when the simulated board has that radio.
local profile = require("device_profile")
local radios = {}

if profile.imei then
    radios.mobile = { imei = function() return profile.imei end }
end
if profile.mac then
    radios.wlan = { getMac = function() return profile.mac end }
end

return radios
