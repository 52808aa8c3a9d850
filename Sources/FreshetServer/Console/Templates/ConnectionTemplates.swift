extension ConsoleTemplates {
    static let connections = """
        {{#notice}}<p class="notice" role="status">{{.}}</p>{{/notice}}
        {{#canManage}}<p class="actions"><a class="button" href="/connections/new">Configure Tableau</a> <a href="/connections/new?auth=connected-app">Use a connected app instead</a></p>{{/canManage}}
        {{^connections}}<p>No connection yet.</p>{{/connections}}
        {{#connections}}
        <section class="card" aria-labelledby="c-{{view.id}}">
        <h2 id="c-{{view.id}}">{{view.name}}</h2>
        <dl class="facts">
        <dt>Site</dt><dd class="display-name">{{view.displayName}}</dd>
        <dt>Server URL</dt><dd class="server-url">{{view.serverURL}}</dd>
        <dt>Site Content URL</dt><dd class="site">{{view.siteContentUrl}}{{#defaultSite}}(Default site){{/defaultSite}}</dd>
        <dt>Signs in with</dt><dd>{{view.authKind}}</dd>
        {{#view.patName}}<dt>Personal Access Token Name</dt><dd class="pat-name">{{.}}</dd>{{/view.patName}}
        {{#view.clientId}}<dt>Client ID</dt><dd>{{.}}</dd>{{/view.clientId}}
        {{#view.username}}<dt>Username</dt><dd>{{.}}</dd>{{/view.username}}
        {{^view.secretRef}}<dt>Secret</dt><dd class="masked">{{view.secretMasked}}</dd>{{/view.secretRef}}
        {{#view.secretRef}}<dt>Secret</dt><dd class="secret-ref">read from <code>{{.}}</code> at sign-in</dd>{{/view.secretRef}}
        {{#expires}}<dt>Token expires</dt><dd class="token-expiry">{{.}}</dd>{{/expires}}
        <dt>Keep-alive</dt><dd class="keep-alive">{{keepAlive}}</dd>
        </dl>
        {{#canManage}}
        <div class="actions">
        <a class="button" href="{{path}}/edit">Edit<span class="visually-hidden"> {{view.name}}</span></a>
        <form method="post" action="{{path}}/check"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">Run health checks<span class="visually-hidden"> on {{view.name}}</span></button></form>
        <a class="button danger" href="{{path}}/delete">Delete<span class="visually-hidden"> {{view.name}}</span></a>
        </div>
        {{/canManage}}
        </section>
        {{/connections}}
        """

    static let connectionForm = """
        <form method="post" action="{{action}}" class="stack connection-form" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <input type="hidden" name="auth" value="{{auth}}">
        <fieldset>
        <legend>Configure Tableau <span class="badge">Beta</span></legend>
        {{#formError}}<p class="problem" role="alert">{{.}}</p>{{/formError}}
        {{#nameField}}{{> field}}{{/nameField}}
        {{#fields}}{{> field}}{{/fields}}
        </fieldset>
        <div class="actions"><button type="submit">{{submitLabel}}</button> <a href="/connections">Cancel</a>{{#otherVariant}} <a href="{{.}}">{{#connectedApp}}Use a Personal Access Token instead{{/connectedApp}}{{^connectedApp}}Use a connected app instead{{/connectedApp}}</a>{{/otherVariant}}</div>
        </form>
        """

    static let field = """
        <div class="field{{#error}} invalid{{/error}}" id="{{id}}-field">
        <label for="{{id}}">{{label}}</label>
        <p class="help" id="{{id}}-help">{{help}}</p>
        {{#masked}}
        <p class="current-secret"><span id="{{id}}-current" class="masked">{{.}}</span></p>
        <details class="replace-secret">
        <summary id="{{id}}-pencil"><span aria-hidden="true">✎</span> Replace the secret</summary>
        <input id="{{id}}" name="{{id}}" type="password" autocomplete="new-password" aria-describedby="{{id}}-help {{id}}-current">
        </details>
        {{/masked}}
        {{^masked}}
        <input id="{{id}}" name="{{id}}" type="{{type}}" value="{{value}}" autocomplete="{{autocomplete}}"{{#required}} aria-required="true"{{/required}} aria-describedby="{{id}}-help{{#error}} {{id}}-error{{/error}}"{{#error}} aria-invalid="true"{{/error}}>
        {{/masked}}
        {{#error}}<p class="error" id="{{id}}-error">{{.}}</p>{{/error}}
        </div>
        """

    static let connectionDelete = """
        <p>Delete the connection <strong>{{view.name}}</strong> ({{view.displayName}})? Pipelines that name it stop working; its runs and audit entries are kept.</p>
        <form method="post" action="{{path}}/delete" class="actions">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <button type="submit" class="danger">Delete {{view.name}}</button> <a href="/connections">Keep it</a>
        </form>
        """

    static let connectionChecks = """
        <p class="summary {{#passed}}pass{{/passed}}{{^passed}}fail{{/passed}}" role="status">{{#passed}}All five checks passed.{{/passed}}{{^passed}}At least one check failed.{{/passed}}</p>
        <ol class="checks">
        {{#results}}
        <li class="check {{#passed}}pass{{/passed}}{{^passed}}fail{{/passed}}{{#warning}} warning{{/warning}}">
        <h2>{{title}}</h2>
        <p><span class="outcome">{{#passed}}Passed{{#warning}}, with a warning{{/warning}}{{/passed}}{{^passed}}Failed{{/passed}}</span>: <span class="message">{{message}}</span></p>
        {{#tableau}}<p class="tableau-detail">Tableau said: <q>{{.}}</q></p>{{/tableau}}
        </li>
        {{/results}}
        </ol>
        <div class="actions">
        <form method="post" action="{{path}}/check"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">Run the checks again</button></form>
        <a class="button" href="{{path}}/edit">Edit {{name}}</a> <a href="/connections">All connections</a>
        </div>
        """
}
