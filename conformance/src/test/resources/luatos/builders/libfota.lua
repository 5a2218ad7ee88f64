-- Our own libfota-compatible request builder (written for this project from libfota's documented
-- behaviour; it is not LuatOS' file, which CI cannot download). Same API: request(callback, url, ...).
-- Without a URL it asks the Luat platform with the board's parameters; with one, it asks that URL
-- as given. Result codes as libfota's: 0 written, 1 connect failed, 3 closed early, 4 other, 5 no
-- PRODUCT_KEY or a VERSION not of the form xxx.yyy.zzz.
local M = {}

local PLATFORM = "http://iot.openluat.com/api/site/firmware_upgrade"

local function board_bsp()
    local bsp = rtos.bsp()
    local dash = bsp:find("-", 1, true)
    return dash and bsp:sub(1, dash - 1) or bsp
end

-- The id, version and firmware name for the platform: boards with a modem, the Air1601/1602, and
-- Wi-Fi boards send "<core>.<x>.<z>" and "<PROJECT>_LuatOS-SoC_<bsp>"; any other board its chip id,
-- the script's VERSION as written and "<PROJECT>_" .. rtos.firmware().
local function platform_params(x, z)
    local bsp = board_bsp()
    local core_version = rtos.version():sub(2) .. "." .. x .. "." .. z
    local soc_name = PROJECT .. "_LuatOS-SoC_" .. bsp
    if mobile then
        return "imei=" .. mobile.imei(), core_version, soc_name
    end
    if bsp == "Air1601" or bsp == "Air1602" then
        return "mac=" .. (mcu.unique_id():toHex()), core_version, soc_name
    end
    if wlan and wlan.getMac then
        return "mac=" .. wlan.getMac(), core_version, soc_name
    end
    return "uid=" .. (mcu.unique_id():toHex()), VERSION, PROJECT .. "_" .. rtos.firmware()
end

local function platform_url(callback)
    if PRODUCT_KEY == nil then
        log.error("fota", "PRODUCT_KEY is required")
        callback(5)
        return nil
    end
    local x, y, z = string.match(VERSION, "(%d+).(%d+).(%d+)")
    if not (x and y and z) then
        log.error("fota", "VERSION must be xxx.yyy.zzz")
        callback(5)
        return nil
    end
    local id, version, firmware_name = platform_params(x, z)
    return PLATFORM .. "?project_key=" .. PRODUCT_KEY .. "&firmware_name=" .. firmware_name
        .. "&version=" .. version .. "&" .. id
end

function M.request(callback, url, _, _, _, _, timeout, server_cert, client_cert, client_key, client_password)
    callback = callback or function() end
    sys.taskInit(function()
        url = url or platform_url(callback)
        if not url then
            return
        end
        local opts = { timeout = timeout or 180000 }
        if fota then
            opts.fota = true
        else
            os.remove("/update.bin")
            opts.dst = "/update.bin"
        end
        log.info("fota.url", url)
        local code, _, body = http.request("GET", url, nil, nil, opts, server_cert, client_cert, client_key,
            client_password).wait()
        if code == 200 or code == 206 then
            callback(body == 0 and 4 or 0)
        elseif code == -4 then
            callback(1)
        elseif code == -5 then
            callback(3)
        else
            callback(4)
        end
    end)
end

return M
