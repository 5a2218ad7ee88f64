-- LuatOS' json.decode (value, 1 on success / nil, 0): enough for the flat objects an upgrade server's
-- refusal may carry (string, number, boolean members).
local json = {}

function json.decode(text)
    if type(text) ~= "string" or not text:match("^%s*{.*}%s*$") then
        return nil, 0
    end
    local out = {}
    local body = text:match("^%s*{(.*)}%s*$")
    for key, raw in body:gmatch('"([^"]*)"%s*:%s*([^,]+)') do
        raw = raw:match("^%s*(.-)%s*$")
        if raw:sub(1, 1) == '"' then
            out[key] = raw:sub(2, -2)
        elseif raw == "true" or raw == "false" then
            out[key] = raw == "true"
        else
            out[key] = tonumber(raw)
        end
    end
    return out, 1
end

return json
