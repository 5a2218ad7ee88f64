-- LuatOS' log module: lines go to stderr, so stdout stays the Java test's protocol.
local log = {}

local function emit(level, tag, ...)
    local parts = { level, tostring(tag) }
    for i = 1, select("#", ...) do
        parts[#parts + 1] = tostring((select(i, ...)))
    end
    io.stderr:write(table.concat(parts, " "), "\n")
end

function log.info(tag, ...) emit("I", tag, ...) end
function log.warn(tag, ...) emit("W", tag, ...) end
function log.error(tag, ...) emit("E", tag, ...) end
function log.debug(tag, ...) emit("D", tag, ...) end

return log
