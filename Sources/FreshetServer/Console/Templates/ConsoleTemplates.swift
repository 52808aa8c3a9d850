/// The console's Mustache templates, kept in the binary (no resource files to install next to
/// `freshet`); see docs/decisions/0006-console-templates.md.
enum ConsoleTemplates {
    /// Every template by name (its name is also its partial name).
    static let all: [(String, String)] = [
        ("layout", layout), ("error", error), ("sign-in", signIn),
        ("connections", connections), ("field", field), ("connection-form", connectionForm), ("connection-delete", connectionDelete),
        ("connection-checks", connectionChecks),
        ("run-rows", runRows), ("runs", runs), ("run", run), ("refresh", refresh), ("refresh-started", refreshStarted),
        ("freshness", freshness), ("audit", audit), ("tokens", tokens), ("access-events", accessEvents),
    ]

    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Freshet</title>
        <link rel="stylesheet" href="/console/console.css">
        <script src="/console/console.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
        <nav aria-label="Main">
        <a class="brand" href="/">Freshet</a>
        {{#navigation}}
        <ul>{{#links}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/links}}</ul>
        <form method="post" action="/sign-out" class="sign-out"><input type="hidden" name="_csrf" value="{{csrf}}"><span class="who">Signed in as {{tokenName}}</span> <button type="submit">Sign out</button></form>
        {{/navigation}}
        </nav>
        </header>
        <main id="main">
        <h1>{{title}}</h1>
        {{{body}}}
        </main>
        </body>
        </html>
        """

    static let error = """
        <p class="problem" role="alert">{{detail}}</p>
        {{#tableau}}<p>Tableau said: <q class="tableau">{{.}}</q></p>{{/tableau}}
        <p><a href="/">Back to the console</a></p>
        """

    static let signIn = """
        <p>Paste an API token (<code>fsh_…</code>) to sign in. The console can do exactly what the token may do through the API.</p>
        {{#message}}<p class="problem" role="alert" id="sign-in-error">{{.}}</p>{{/message}}
        <form method="post" action="/sign-in" class="stack">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <input type="hidden" name="next" value="{{next}}">
        <div class="field">
        <label for="token">API token</label>
        <p class="help" id="token-help">Printed by <code>freshet serve</code> on its first start, by <code>freshet demo</code>, or made with <code>freshet token create</code>.</p>
        <input id="token" name="token" type="password" autocomplete="current-password" required aria-describedby="token-help"{{#message}} aria-invalid="true"{{/message}}>
        </div>
        <button type="submit">Sign in</button>
        </form>
        """
}
