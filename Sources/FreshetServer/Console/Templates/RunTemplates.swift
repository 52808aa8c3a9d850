extension ConsoleTemplates {
    /// Rows of runs; a row whose run has not ended is updated live by console.js.
    static let runRows = """
        <div class="table-wrap">
        <table class="runs">
        <caption class="visually-hidden">Runs, newest first</caption>
        <thead><tr><th scope="col">Item</th><th scope="col">State</th><th scope="col">Connection</th><th scope="col">Caller</th><th scope="col">Started</th><th scope="col">Duration</th></tr></thead>
        <tbody>
        {{#runs}}
        <tr data-run="{{id}}">
        <td><a href="{{path}}">{{itemName}}</a> <span class="muted">({{itemType}}{{#project}}, {{.}}{{/project}})</span></td>
        <td><span class="state state-{{state}}" data-field="state">{{state}}</span></td>
        <td>{{connection}}</td>
        <td>{{actor}}</td>
        <td><time datetime="{{createdISO}}">{{created}}</time></td>
        <td data-field="duration">{{duration}}</td>
        </tr>
        {{/runs}}
        </tbody>
        </table>
        </div>
        {{^runs}}<p>No runs match.</p>{{/runs}}
        """

    static let runs = """
        <form method="get" action="/runs" class="filters" role="search" aria-label="Filter runs">
        <div class="field"><label for="state">State</label>
        <select id="state" name="state"><option value="">Any state</option>{{#states}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/states}}</select></div>
        <div class="field"><label for="connection">Connection</label><input id="connection" name="connection" type="text" value="{{connection}}"></div>
        <div class="field"><label for="item">Item name</label><input id="item" name="item" type="search" value="{{item}}"></div>
        <div class="field"><label for="caller">Caller</label><input id="caller" name="caller" type="text" value="{{caller}}"></div>
        <button type="submit">Filter</button> <a href="/runs">Clear</a>
        </form>
        <div id="live-status" class="muted" role="status" aria-live="polite">{{#live}}States update live.{{/live}}</div>
        {{> run-rows}}
        <nav class="actions" aria-label="Pages">{{#first}}<a href="{{.}}">Newest runs</a>{{/first}}{{#next}}<a href="{{.}}" rel="next">Older runs</a>{{/next}}</nav>
        """

    static let run = """
        <div data-run="{{run.id}}" class="run-detail">
        {{#run}}
        <dl class="facts">
        <dt>State</dt><dd><span class="state state-{{state}}" data-field="state">{{state}}</span></dd>
        <dt>Item</dt><dd>{{itemName}} ({{itemType}})</dd>
        {{#project}}<dt>Project</dt><dd>{{.}}</dd>{{/project}}
        <dt>Connection</dt><dd>{{connection}}</dd>
        <dt>Asked for</dt><dd>{{target}}</dd>
        <dt>Caller</dt><dd>{{actor}}</dd>
        <dt>Accepted</dt><dd><time datetime="{{createdISO}}">{{created}}</time></dd>
        <dt>Last change</dt><dd>{{updated}}</dd>
        {{#deadline}}<dt>Deadline</dt><dd>{{.}}</dd>{{/deadline}}
        {{#heldUntil}}<dt>Held by Tableau until</dt><dd data-field="heldUntil">{{.}} (it triggers again then)</dd>{{/heldUntil}}
        {{#estimatedFinish}}<dt>Expected to finish</dt><dd data-field="estimatedFinish">{{.}} (from the item's recent refreshes)</dd>{{/estimatedFinish}}
        <dt>Duration</dt><dd data-field="duration">{{duration}}</dd>
        <dt>Tableau job</dt><dd class="job-id" data-field="jobId">{{jobId}}</dd>
        <dt>Run id</dt><dd><code>{{id}}</code></dd>
        </dl>
        <h2>Tableau's notes</h2>
        <p class="notes" data-field="notes"{{^notes}} hidden{{/notes}}>{{notes}}</p>
        {{/run}}
        {{#cancelRequested}}<p role="status">Cancellation asked for; Tableau has not confirmed it yet.</p>{{/cancelRequested}}
        {{#canCancel}}
        <form method="post" action="{{run.path}}/cancel" class="actions cancel-form" data-live-hide>
        <input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="danger">Cancel this run</button>
        </form>
        {{/canCancel}}
        <h2>Attempts</h2>
        {{^attempts}}<p>No attempt yet.</p>{{/attempts}}
        <div class="table-wrap"><table>
        <caption class="visually-hidden">Attempts, oldest first</caption>
        <thead><tr><th scope="col">Attempt</th><th scope="col">Tableau job</th><th scope="col">Outcome</th><th scope="col">Tableau said</th></tr></thead>
        <tbody>{{#attempts}}<tr><td>{{number}}{{#joined}} (joined a running job){{/joined}}</td><td class="job-id">{{jobId}}</td><td>{{outcome}}</td><td>{{message}}</td></tr>{{/attempts}}</tbody>
        </table></div>
        </div>
        <p><a href="/runs">All runs</a></p>
        """
}

extension ConsoleTemplates {
    static let refresh = """
        <form method="get" action="/refresh" class="filters" role="search" aria-label="Find content to refresh">
        <div class="field"><label for="connection">Connection</label>
        <select id="connection" name="connection"><option value="">Choose a connection</option>{{#connections}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/connections}}</select></div>
        <div class="field"><label for="q">Name</label><input id="q" name="q" type="search" value="{{query}}"></div>
        <div class="field"><label for="project">Project</label><input id="project" name="project" type="search" value="{{project}}"></div>
        <button type="submit">Search</button>
        </form>
        {{#searched}}
        <form method="post" action="/refresh">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <input type="hidden" name="connection" value="{{connection}}">
        <fieldset>
        <legend>Data sources and workbooks on {{connection}}</legend>
        {{^items}}<p>Nothing matches that you may refresh.</p>{{/items}}
        {{#items}}
        <div class="pick"><input type="checkbox" id="{{inputId}}" name="item" value="{{value}}"{{#live}} disabled{{/live}}>
        <label for="{{inputId}}">{{name}} <span class="muted">({{type}}{{#project}} in {{.}}{{/project}}{{#live}}; live connection, nothing to refresh{{/live}})</span></label></div>
        {{/items}}
        </fieldset>
        <div class="actions"><button type="submit">Refresh the ticked items</button></div>
        </form>
        {{/searched}}
        """

    static let refreshStarted = """
        <p id="live-status" role="status" aria-live="polite">States update live.</p>
        {{#joined}}<p>{{.}}</p>{{/joined}}
        {{#live}}<p>{{.}} is a live connection: nothing to refresh.</p>{{/live}}
        {{> run-rows}}
        <p class="actions"><a href="/refresh">Refresh something else</a> <a href="/runs">All runs</a></p>
        """
}
