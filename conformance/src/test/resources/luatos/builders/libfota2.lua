-- Our own libfota2-compatible request builder (written for this project from libfota2's documented
-- behaviour; it is not LuatOS' file, which CI cannot download). Same API: request(callback, opts).
-- It builds the URL libfota2 builds and reads the answer with libfota2's result codes:
--   0 upgrade written, 1 connect failed, 3 server closed early, 4 any other answer (no upgrade,
--   empty body), 5 no PRODUCT_KEY.
local M = {}

local DEFAULT_URL = "http://iot.openluat.com/api/site/firmware_upgrade?"

-- The board's id parameter, chosen by module model: cellular modules send their IMEI, Wi-Fi modules
-- their MAC, some MCU modules their chip id as hex; other models send no id at all (a literal "nil").
local ID_BY_MODEL = {
    { "^Air780E", function() return "imei=" .. mobile.imei() end },
    { "^Air8000", function() return "imei=" .. mobile.imei() end },
    { "^Air700", function() return "imei=" .. mobile.imei() end },
    { "^Air8101", function() return "mac=" .. wlan.getMac() end },
    { "^Air1601", function() return "mac=" .. (mcu.unique_id():toHex()) end },
    { "^Air1602", function() return "mac=" .. (mcu.unique_id():toHex()) end },
    { "^Air1780", function() return "mac=" .. (mcu.unique_id():toHex()) end },
}

local function device_param()
    local model = hmeta.model()
    for _, rule in ipairs(ID_BY_MODEL) do
        if model:find(rule[1]) then
            return rule[2]()
        end
    end
    return nil
end

-- "<core>.<x>.<z>": the core number without its "V", then the script VERSION's first and last
-- numbers exactly as written (leading zeros kept).
local function default_version()
    local x, _, z = string.match(VERSION, "(%d+).(%d+).(%d+)")
    return rtos.version():sub(2) .. "." .. x .. "." .. z
end

local function default_firmware_name()
    local bsp = rtos.bsp()
    local dash = bsp:find("-", 1, true)
    if dash then
        bsp = bsp:sub(1, dash - 1)
    end
    return PROJECT .. "_LuatOS-SoC_" .. bsp
end

local function result_of(code, body)
    if code == 200 or code == 206 then
        return body == 0 and 4 or 0
    end
    if code == -4 then
        return 1
    end
    if code == -5 then
        return 3
    end
    log.info("libfota2", code, body)
    return 4
end

function M.request(callback, opts)
    opts = opts or {}
    callback = callback or function() end
    if fota then
        opts.fota = true
    else
        os.remove("/update.bin")
        opts.dst = "/update.bin"
    end
    opts.url = opts.url or DEFAULT_URL
    if opts.url:sub(1, 3) == "###" then
        -- "###" marks a URL used exactly as given.
        opts.url = opts.url:sub(4)
    elseif not opts.url_done then
        opts.project_key = opts.project_key or PRODUCT_KEY
        if not opts.project_key then
            log.error("libfota2", "PRODUCT_KEY is required")
            callback(5)
            return
        end
        opts.version = opts.version or default_version()
        opts.firmware_name = opts.firmware_name or default_firmware_name()
        -- Appended to the URL as it is: a self-built server's URL ends in "?" or "&" itself.
        local id = opts.imei and ("imei=" .. opts.imei) or tostring(device_param())
        opts.url = opts.url .. id .. "&project_key=" .. opts.project_key .. "&firmware_name="
            .. opts.firmware_name .. "&version=" .. opts.version
    end
    opts.url_done = true
    opts.method = opts.method or "GET"
    log.info("libfota2.url", opts.method, opts.url)
    sys.taskInit(function()
        local code, _, body = http.request(opts.method, opts.url, opts.headers, opts.body, opts,
            opts.server_cert, opts.client_cert, opts.client_key, opts.client_password).wait()
        callback(result_of(code, body))
    end)
end

return M
