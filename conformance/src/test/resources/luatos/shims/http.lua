-- LuatOS' http.request(method, url, headers, body, opts, ...).wait(): the request is handed to the Java
-- test on stdout, which sends it as luat_http_client.c frames it and answers on stdin with what that C
-- client gives Lua back: "<code>\t<n|s>\t<body>" (n: the body's length, as fota and download modes
-- return it; s: a string body).
local http = {}

local function field(s)
    return (tostring(s):gsub("[\t\r\n]", " "))
end

function http.request(method, url, headers, _, opts)
    local waiter = {}
    function waiter.wait()
        local line = { "HTTP", field(method or "GET"), field(url), (opts and opts.fota) and "fota" or "dst" }
        for name, value in pairs(headers or {}) do
            line[#line + 1] = field(name) .. ": " .. field(value)
        end
        io.stdout:write(table.concat(line, "\t"), "\n")
        io.stdout:flush()
        local reply = io.stdin:read("l")
        if reply == nil then
            error("the Java test closed stdin before answering")
        end
        local code, kind, body = reply:match("^(-?%d+)\t([ns])\t(.*)$")
        if kind == "n" then
            body = tonumber(body)
        end
        return tonumber(code), {}, body
    end
    return waiter
end

return http
