extension ConsoleTemplates {
    static let freshness = """
        <p>Each item Freshet has refreshed or a pipeline has named: its last successful refresh and its age, its last failure with Tableau's reason, and whether it is stale (its last refresh failed, it never succeeded, a pipeline upstream failed, or it is older than its policy). The chart shows its recent refreshes (bar height: how long it took; green succeeded, red failed or timed out, grey cancelled). The same data as <code>GET /api/v1/freshness</code>.</p>
        <form method="get" action="/freshness" class="filters" role="search" aria-label="Filter freshness">
        <div class="field"><label for="connection">Connection</label>
        <select id="connection" name="connection"><option value="">Any connection</option>{{#connections}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/connections}}</select></div>
        <div class="field"><label for="project">Project</label><input id="project" name="project" type="text" value="{{project}}"></div>
        <div class="field"><label><input id="stale" name="stale" type="checkbox" value="true"{{#staleOnly}} checked{{/staleOnly}}> Stale only</label></div>
        <button type="submit">Filter</button> <a href="/freshness">Clear</a>
        </form>
        {{#notice}}<p class="problem" role="alert">{{.}}</p>{{/notice}}
        {{#empty}}<p>{{#filtered}}No item matches.{{/filtered}}{{^filtered}}No item yet: Freshet tracks the items it has refreshed and those pipelines report on.{{/filtered}}</p>{{/empty}}
        {{^empty}}
        <p class="muted" data-field="stale-count">{{staleCount}} stale</p>
        <div class="table-wrap"><table class="freshness">
        <caption class="visually-hidden">Freshness per item, stale items first</caption>
        <thead><tr><th scope="col">Item</th><th scope="col">Connection</th><th scope="col">Last successful refresh</th><th scope="col">Age</th><th scope="col">State</th><th scope="col">Max age (policy)</th><th scope="col">Last failure</th><th scope="col">Recent refreshes</th></tr></thead>
        <tbody>
        {{#items}}<tr data-item="{{name}}"{{#stale}} class="stale"{{/stale}}><td><a href="{{runsPath}}">{{name}}</a> <span class="muted">({{type}}{{#project}}, {{.}}{{/project}})</span></td><td>{{connection}}</td><td data-field="last-success">{{lastSuccess}}{{^lastSuccess}}never{{/lastSuccess}}</td><td data-field="age">{{age}}{{^age}}-{{/age}}</td><td data-field="state"><span class="state {{#stale}}state-failed{{/stale}}{{^stale}}state-succeeded{{/stale}}">{{state}}</span>{{#staleSince}}<br><span class="muted">since {{.}}</span>{{/staleSince}}{{#pipelineFailure}}<br><span data-field="pipeline-failure">Pipeline {{.}}</span>{{/pipelineFailure}}</td><td data-field="policy">{{policy}}{{^policy}}none{{/policy}}</td><td data-field="last-failure">{{#lastFailure}}{{.}}{{/lastFailure}}{{^lastFailure}}-{{/lastFailure}}{{#failureReason}}<br><span class="reason">{{.}}</span>{{/failureReason}}</td><td>{{{chart}}}</td></tr>{{/items}}
        </tbody></table></div>
        {{/empty}}
        """
}

extension ConsoleTemplates {
    static let audit = """
        <form method="get" action="/audit" class="filters" role="search" aria-label="Filter the audit log">
        <div class="field"><label for="actor">Actor</label><input id="actor" name="actor" type="text" value="{{actor}}"></div>
        <div class="field"><label for="action">Action</label><input id="action" name="action" type="text" value="{{action}}" aria-describedby="action-help"><p class="help" id="action-help">Exact, or a prefix ending in a dot (run.)</p></div>
        <div class="field"><label for="target">Target</label><input id="target" name="target" type="text" value="{{target}}"></div>
        <div class="field"><label for="outcome">Outcome</label><select id="outcome" name="outcome"><option value=""{{#outcomeAny}} selected{{/outcomeAny}}>Any</option><option value="success"{{#outcomeSuccess}} selected{{/outcomeSuccess}}>success</option><option value="failure"{{#outcomeFailure}} selected{{/outcomeFailure}}>failure</option></select></div>
        <button type="submit">Filter</button> <a href="/audit">Clear</a>
        </form>
        <p><a href="{{csv}}" download>Download as CSV</a></p>
        {{^events}}<p>No entry matches.</p>{{/events}}
        <div class="table-wrap"><table class="audit">
        <caption class="visually-hidden">Audit log, newest first</caption>
        <thead><tr><th scope="col">Time</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Outcome</th><th scope="col">Details</th></tr></thead>
        <tbody>{{#events}}<tr><td>{{time}}</td><td>{{actor}}</td><td>{{action}}</td><td>{{target}}</td><td>{{outcome}}</td><td>{{details}}</td></tr>{{/events}}</tbody>
        </table></div>
        {{#next}}<p><a href="{{.}}" rel="next">Older entries</a></p>{{/next}}
        """

    static let tokens = """
        {{#notice}}<p class="notice" role="status">{{.}}</p>{{/notice}}
        {{#created}}
        <section class="card" aria-labelledby="created-heading">
        <h2 id="created-heading">Token {{name}} created</h2>
        <p>Copy it now: this is the only time it is shown.</p>
        <p class="secret-once" id="created-secret">{{secret}}</p>
        </section>
        {{/created}}
        <div class="table-wrap"><table class="tokens">
        <caption class="visually-hidden">API tokens</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">Scopes</th><th scope="col">May refresh</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Status</th></tr></thead>
        <tbody>
        {{#tokens}}<tr><td>{{name}}</td><td><code>{{hint}}</code></td><td>{{scopes}}</td><td>{{allow}}</td><td>{{created}} by {{createdBy}}</td><td>{{expires}}</td>
        <td>{{#revoked}}Revoked {{.}}{{/revoked}}{{^revoked}}<form method="post" action="{{path}}/revoke"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="danger">Revoke<span class="visually-hidden"> {{name}}</span></button></form>{{/revoked}}</td></tr>{{/tokens}}
        </tbody></table></div>
        <h2>Create a token</h2>
        <form method="post" action="/tokens" class="stack">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <div class="field"><label for="name">Name</label><p class="help" id="name-help">Who uses it, for example airflow-prod.</p><input id="name" name="name" type="text" value="{{name}}" aria-describedby="name-help">{{#error_name}}<p class="error">{{.}}</p>{{/error_name}}</div>
        <fieldset><legend>Scopes</legend>
        {{#scopes}}<div class="pick"><input type="checkbox" id="{{id}}" name="scope" value="{{value}}"{{#checked}} checked{{/checked}}> <label for="{{id}}">{{value}}</label></div>{{/scopes}}
        {{#error_scopes}}<p class="error">{{.}}</p>{{/error_scopes}}
        </fieldset>
        <div class="pick"><input type="checkbox" id="admin" name="admin" value="yes"{{#admin}} checked{{/admin}}> <label for="admin">Admin: everything, including managing tokens</label></div>
        <fieldset><legend>May refresh (patterns, comma-separated; * matches anything)</legend>
        <div class="field"><label for="connections">Connections</label><input id="connections" name="connections" type="text" value="{{connections}}"></div>
        <div class="field"><label for="projects">Projects</label><input id="projects" name="projects" type="text" value="{{projects}}"></div>
        <div class="field"><label for="workbooks">Workbooks</label><input id="workbooks" name="workbooks" type="text" value="{{workbooks}}"></div>
        <div class="field"><label for="datasources">Data sources</label><input id="datasources" name="datasources" type="text" value="{{datasources}}"></div>
        </fieldset>
        <div class="field"><label for="expiresIn">Expires in</label><p class="help" id="expiresIn-help">For example 90m, 12h, 30d or 8w; empty for never.</p><input id="expiresIn" name="expiresIn" type="text" value="{{expiresIn}}" aria-describedby="expiresIn-help">{{#error_expiresIn}}<p class="error">{{.}}</p>{{/error_expiresIn}}{{#error_expiresAt}}<p class="error">{{.}}</p>{{/error_expiresAt}}</div>
        <div><button type="submit">Create token</button></div>
        </form>
        """

    static let accessEvents = """
        <form method="get" action="/access-events" class="filters" role="search" aria-label="Filter access events">
        <div class="field"><label for="connection">Connection</label><input id="connection" name="connection" type="text" value="{{connection}}"></div>
        <div class="field"><label for="user">User</label><input id="user" name="user" type="text" value="{{user}}"></div>
        <div class="field"><label for="status">Outcome</label><select id="status" name="status"><option value="">Any</option>{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/statuses}}</select></div>
        <button type="submit">Filter</button> <a href="/access-events">Clear</a>
        </form>
        {{#empty}}<p>No access event matches.</p>{{/empty}}
        {{^empty}}
        <div class="table-wrap"><table>
        <caption class="visually-hidden">Access events, newest first</caption>
        <thead><tr><th scope="col">Received</th><th scope="col">Connection</th><th scope="col">Event</th><th scope="col">User</th><th scope="col">Role</th><th scope="col">Outcome</th><th scope="col">Site role change</th><th scope="col">Message</th></tr></thead>
        <tbody>{{#events}}<tr><td>{{received}}</td><td>{{connection}}</td><td>{{type}} <code>{{eventId}}</code></td><td>{{user}}</td><td>{{role}}</td><td>{{status}}</td><td>{{change}}</td><td>{{message}}</td></tr>{{/events}}</tbody>
        </table></div>
        {{/empty}}
        """
}
