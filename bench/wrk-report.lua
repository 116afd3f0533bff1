-- wrk script of bench/front-door and bench/rest: the request comes from the environment, the figures go to
-- stdout as one JSON object (rps, p50_ms, p99_ms, max_ms, non2xx, socket_errors, ...).
--   WRK_METHOD [GET], WRK_BODY [none], WRK_KEY [none: no Authorization header], WRK_LABEL [run]
-- Each thread counts its non-2xx answers and prints the first answer of each status to stderr.
wrk.method = os.getenv("WRK_METHOD") or "GET"
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("WRK_KEY")
if key and key ~= "" then wrk.headers["Authorization"] = "Bearer " .. key end
local body = os.getenv("WRK_BODY")
if body and body ~= "" then wrk.body = body end

local threads = {}
function setup(thread)
  thread:set("non2xx", 0)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = (non2xx or 0) + 1
    if status ~= last_status then
      last_status = status
      io.stderr:write("non-2xx answer: HTTP " .. status .. " " .. string.sub(body or "", 1, 200) .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local non2xx = 0
  for _, t in ipairs(threads) do non2xx = non2xx + (t:get("non2xx") or 0) end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"label":"%s","requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"non2xx":%d,"socket_errors":%d}\n',
    os.getenv("WRK_LABEL") or "run", summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    non2xx, e.connect + e.read + e.write + e.timeout))
end
