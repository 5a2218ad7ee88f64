-- LuatOS' sys: tasks are coroutines started at once; run() drives them until every one has ended.
local sys = {}
local tasks = {}

local function step(co, ...)
    local ok, err = coroutine.resume(co, ...)
    if not ok then
        error(debug.traceback(co, err), 0)
    end
end

function sys.taskInit(fn, ...)
    local co = coroutine.create(fn)
    tasks[#tasks + 1] = co
    step(co, ...)
    return co
end

-- A wait inside a task only hands control back; time is not simulated.
function sys.wait(_)
    coroutine.yield()
end

function sys.run()
    local alive = true
    while alive do
        alive = false
        for _, co in ipairs(tasks) do
            if coroutine.status(co) == "suspended" then
                alive = true
                step(co)
            end
        end
    end
end

return sys
