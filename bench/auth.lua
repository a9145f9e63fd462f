-- wrk script: authenticated GETs of the path given to wrk.
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEFU_TOKEN")
end
