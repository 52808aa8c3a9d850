import Hummingbird

/// The console's only static files, served by Freshet itself: one style sheet and one small
/// script (live run states over Server-Sent Events, polling when those are unavailable). No
/// build chain: both are plain text in this file.
enum ConsoleAssets {
    static func register(on router: RouterGroup<FreshetRequestContext>) {
        router.get("console/console.css") { _, _ in asset(css, type: "text/css; charset=utf-8") }
        router.get("console/console.js") { _, _ in asset(script, type: "text/javascript; charset=utf-8") }
    }

    private static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let css = """
        :root { --fg: #1b1f24; --muted: #4a5360; --line: #c9ced6; --accent: #0b5cad; --pass: #146c2e; --fail: #b3261e; --bg: #fff; --soft: #f3f5f8; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
        a { color: var(--accent); }
        a:focus, button:focus, input:focus, select:focus, summary:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 2; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        header { background: #0f2a44; color: #fff; }
        header nav { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .5rem 1rem; max-width: 72rem; margin: 0 auto; }
        header a { color: #fff; } header .brand { font-weight: 700; text-decoration: none; margin-right: .5rem; }
        header ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; }
        header a[aria-current] { font-weight: 700; text-underline-offset: 4px; }
        .sign-out { margin-left: auto; display: flex; align-items: center; gap: .5rem; } .who { font-size: .875rem; }
        main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.6rem; margin: .5rem 0 1rem; } h2 { font-size: 1.2rem; margin: .25rem 0 .5rem; }
        button, .button { display: inline-block; font: inherit; padding: .4rem .9rem; border: 1px solid var(--accent); border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; }
        .button.danger, button.danger { background: var(--fail); border-color: var(--fail); }
        header button { background: transparent; border-color: #fff; padding: .2rem .6rem; }
        input[type=text], input[type=password], input[type=search], select { font: inherit; padding: .4rem .5rem; border: 1px solid #6b7480; border-radius: 4px; width: 100%; max-width: 36rem; }
        .stack { display: grid; gap: 1rem; max-width: 40rem; }
        fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 1rem; display: grid; gap: 1rem; min-width: 0; }
        legend { font-weight: 700; font-size: 1.1rem; padding: 0 .25rem; }
        .badge { display: inline-block; font-size: .75rem; font-weight: 700; padding: 0 .4rem; border-radius: 999px; background: #e8eefc; color: #1d3f8f; border: 1px solid #1d3f8f; vertical-align: middle; }
        .field label { display: block; font-weight: 600; }
        .help { margin: .1rem 0 .35rem; color: var(--muted); font-size: .9rem; }
        .field.invalid input { border-color: var(--fail); border-width: 2px; }
        .error, .problem { color: var(--fail); font-weight: 600; margin: .3rem 0 0; }
        .notice { background: #e7f4ea; border-left: 4px solid var(--pass); padding: .5rem .75rem; }
        .masked { font-family: ui-monospace, monospace; }
        details.replace-secret summary { cursor: pointer; color: var(--accent); margin-bottom: .4rem; }
        .actions { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin: .75rem 0; }
        .actions form { margin: 0; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 0 0 1rem; }
        .facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; } .facts dt { color: var(--muted); } .facts dd { margin: 0; overflow-wrap: anywhere; }
        .checks { list-style: none; padding: 0; display: grid; gap: .75rem; }
        .check { border-left: 6px solid var(--line); padding: .25rem .75rem; background: var(--soft); }
        .check.pass { border-color: var(--pass); } .check.fail { border-color: var(--fail); }
        .pass .outcome, .summary.pass { color: var(--pass); font-weight: 700; } .fail .outcome, .summary.fail { color: var(--fail); font-weight: 700; }
        .table-wrap { overflow-x: auto; position: relative; }
        table { border-collapse: collapse; width: 100%; font-size: .95rem; }
        th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: var(--soft); }
        .state { font-weight: 700; white-space: nowrap; }
        .state-succeeded { color: var(--pass); } .state-failed, .state-timedOut { color: var(--fail); } .state-cancelled { color: var(--muted); }
        .filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin-bottom: 1rem; }
        .filters .field { min-width: 10rem; }
        .notes { white-space: pre-wrap; background: #fdecea; border-left: 4px solid var(--fail); padding: .5rem .75rem; }
        .secret-once { font-family: ui-monospace, monospace; font-size: 1.05rem; background: var(--soft); padding: .5rem; overflow-wrap: anywhere; }
        svg.chart { display: block; } .bar-succeeded { fill: var(--pass); } .bar-failed, .bar-timedOut { fill: var(--fail); } .bar-cancelled { fill: #8a939e; }
        @media (max-width: 40rem) { .sign-out { margin-left: 0; } th, td { padding: .3rem; } }
        """

    static let script = """
        // Freshet console: live run states. Every element with data-run="ID" whose
        // [data-field=state] has not ended is watched over Server-Sent Events (/runs/events);
        // when those are unavailable, /runs/states is polled. Without this script every page
        // still works: reload it to see new states.
        (function () {
          "use strict";
          var ended = { succeeded: true, failed: true, cancelled: true, timedOut: true };
          var failures = 0, polling = null, source = null;
          function rows() { return Array.prototype.slice.call(document.querySelectorAll("[data-run]")); }
          function field(row, name) { return row.querySelector('[data-field="' + name + '"]'); }
          function pending() {
            return rows().filter(function (row) {
              var state = field(row, "state");
              return state && !ended[state.textContent.trim()];
            }).map(function (row) { return row.getAttribute("data-run"); });
          }
          function set(row, name, value) {
            var element = field(row, name);
            if (element && value !== null && value !== undefined) { element.textContent = value; element.hidden = false; }
          }
          function apply(run) {
            rows().forEach(function (row) {
              if (row.getAttribute("data-run") !== run.id) { return; }
              var state = field(row, "state");
              if (state) { state.textContent = run.state; state.className = "state state-" + run.state; }
              set(row, "jobId", run.jobId);
              set(row, "duration", run.duration);
              set(row, "notes", run.notes);
              if (run.finished) {
                Array.prototype.forEach.call(document.querySelectorAll("[data-live-hide]"), function (element) { element.hidden = true; });
              }
            });
            announce();
          }
          function announce() {
            var status = document.getElementById("live-status");
            if (status) { status.textContent = pending().length ? "States update live." : "Every run shown has ended."; }
          }
          function query(ids) { return ids.map(function (id) { return "id=" + encodeURIComponent(id); }).join("&"); }
          function poll() {
            var ids = pending();
            if (!ids.length) { clearInterval(polling); polling = null; announce(); return; }
            fetch("/runs/states?" + query(ids), { credentials: "same-origin", headers: { "Accept": "application/json" } })
              .then(function (response) { return response.ok ? response.json() : []; })
              .then(function (runs) { runs.forEach(apply); })
              .catch(function () {});
          }
          function startPolling() {
            if (!polling) { polling = setInterval(poll, 1500); }
            poll();
          }
          function connect() {
            var ids = pending();
            if (!ids.length) { announce(); return; }
            if (!window.EventSource) { startPolling(); return; }
            source = new EventSource("/runs/events?" + query(ids));
            source.addEventListener("run", function (event) {
              failures = 0;
              apply(JSON.parse(event.data));
              if (!pending().length) { source.close(); }
            });
            source.onerror = function () {
              source.close();
              failures += 1;
              if (failures > 3) { startPolling(); } else { setTimeout(connect, 500); }
            };
          }
          document.addEventListener("DOMContentLoaded", connect);
        })();
        """
}
