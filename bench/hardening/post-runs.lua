-- wrk: POST /api/v1/runs with a repeated Idempotency-Key (the run already exists).
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Idempotency-Key"] = os.getenv("KEY")
wrk.body = os.getenv("BODY")
