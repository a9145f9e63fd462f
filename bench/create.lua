-- wrk script: each request creates a new complaint (unique source_ref).
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  token = os.getenv("KEFU_TOKEN")
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"subject":"物流延迟 %d-%d","description":"订单显示已发货，但物流三天没有更新，客户要求尽快处理并说明原因。","channel":"phone",' ..
    '"customer":{"name":"张伟","phone":"138%08d","tier":"regular","region":"east-china"},' ..
    '"category":"logistics","severity":"normal","priority":"normal","source_ref":"bench-%d-%d"}',
    tid, counter, (tid * 10000000 + counter) % 100000000, tid, counter)
  return wrk.format("POST", "/api/v1/tickets",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
