-- The simulated board, read from the environment the Java test sets (LUATOS_*). Our own file: the
-- shims of LuatOS' built-in modules below answer from it.
local profile = {}

local function env(name)
    local v = os.getenv(name)
    if v == nil or v == "" then
        return nil
    end
    return v
end

profile.core = env("LUATOS_CORE") or "V1003"        -- rtos.version(): "V" + core number
profile.bsp = env("LUATOS_BSP") or "EC618"           -- rtos.bsp()
profile.model = env("LUATOS_MODEL") or "Air780EP"    -- hmeta.model()
profile.imei = env("LUATOS_IMEI")                    -- set: the board has a cellular modem (mobile)
profile.mac = env("LUATOS_MAC")                      -- set: the board has Wi-Fi (wlan)
profile.uid_hex = env("LUATOS_UID_HEX") or "0102030405060708"  -- mcu.unique_id(), as hex
profile.fota = env("LUATOS_FOTA") ~= "0"             -- the firmware has the fota module (flash writes)

return profile
