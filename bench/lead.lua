-- The contact form POST: body, CSRF cookie and origin come from bench/run,
-- which fetched a token and a time-trap value with one GET of the form.
wrk.method = "POST"
wrk.body = os.getenv("LEAD_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken=" .. os.getenv("LEAD_CSRF_COOKIE")
wrk.headers["Origin"] = os.getenv("LEAD_ORIGIN")
dofile("bench/stats.lua")  -- the percentiles bench/report.py reads
