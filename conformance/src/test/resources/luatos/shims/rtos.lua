-- LuatOS' rtos: version, board platform and firmware name of the simulated board.
local profile = require("device_profile")
local rtos = {}

function rtos.version() return profile.core end
function rtos.bsp() return profile.bsp end
-- luat_lib_rtos.c names the firmware "LuatOS-SoC_<version>_<bsp>".
function rtos.firmware() return "LuatOS-SoC_" .. profile.core .. "_" .. profile.bsp end
function rtos.reboot() io.stderr:write("rtos.reboot()\n") end

return rtos
