-- LuatOS' hmeta: the module model (libfota2 picks imei, mac or the MCU id from it).
local profile = require("device_profile")
return { model = function() return profile.model end }
