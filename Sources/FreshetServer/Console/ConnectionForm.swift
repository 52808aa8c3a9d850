import Foundation
import Freshet

/// The "Configure Tableau" form (Serval's connect form, word for word), in its two variants:
/// Personal Access Token and connected app. Validation and edit semantics are the engine's
/// (``ConnectionDraft``); this only lays out fields, keeps what was typed and shows every
/// problem at once.
struct ConnectionForm {
    /// One input with its label, helper text and error.
    struct Field {
        var id: String
        var label: String
        var help: String
        var value: String?
        var error: String?
        var required: Bool
        var secret: Bool
        /// On edit: the stored secret, masked, with a pencil that opens a field for a new one.
        var masked: String?
        var autocomplete: String
        /// "password" or "text" (stored: templates see stored properties only).
        var type: String

        init(
            id: String, label: String, help: String, value: String?, error: String?, required: Bool, secret: Bool, masked: String? = nil,
            autocomplete: String
        ) {
            (self.id, self.label, self.help, self.value, self.error) = (id, label, help, value, error)
            (self.required, self.secret, self.masked, self.autocomplete) = (required, secret, masked, autocomplete)
            type = secret ? "password" : "text"
        }
    }

    var action: String
    var csrf: String
    var isNew: Bool
    var connectedApp: Bool
    /// "connected-app" or "pat".
    var auth: String
    var nameField: Field?
    var fields: [Field]
    var formError: String?
    var submitLabel: String
    var otherVariant: String?

    static let serverHelp =
        "Your Tableau server URL (without https://). For Tableau Cloud, this is typically something like 10ax.online.tableau.com. For Tableau Server, use your server’s hostname."
    static let siteHelp = "The content URL of the site to connect to. For the Default site, leave this empty. You can find this in the site URL after /site/."
    static let patNameHelp = "The name of your Tableau Personal Access Token. Create one in Tableau under My Account Settings > Personal Access Tokens."
    static let patSecretHelp = "The secret value of your Tableau Personal Access Token. This is shown only once when the token is created."
    static let secretRefHelp =
        "Or, instead of the secret: where Freshet reads it at each sign-in — env:NAME, file:/path/to/mounted/secret or exec:/path/to/helper ARGS (its output is the secret). Stored as written; see docs/secrets.md."
    static let keepAliveHelp = "Sign in at least every this many days so an idle Tableau Cloud token never lapses (Tableau ends PATs unused for 15 days). Empty or 0: off."

    /// Engine field names as the form's input names.
    static func inputName(_ field: String?) -> String? {
        switch field {
        case "server": "serverUrl"
        case "auth": nil
        default: field
        }
    }

    /// The form for a new connection, with `values` typed so far and `errors` by input name.
    static func new(connectedApp: Bool, csrf: String, values: FormData = FormData(""), errors: [String: String] = [:]) -> ConnectionForm {
        func field(_ id: String, _ label: String, _ help: String, required: Bool, secret: Bool = false, autocomplete: String = "off") -> Field {
            Field(
                id: id, label: label, help: help, value: secret ? nil : values[id], error: errors[id], required: required, secret: secret,
                autocomplete: secret ? "new-password" : autocomplete)
        }
        var fields = [
            field("serverUrl", "Server URL", serverHelp, required: true, autocomplete: "url"),
            field("siteContentUrl", "Site Content URL", siteHelp, required: false),
        ]
        if connectedApp {
            fields += [
                field("clientId", "Connected App Client ID", "The client ID of the connected app, from Tableau's Connected Apps settings.", required: true),
                field("secretId", "Connected App Secret ID", "The ID of one of the connected app's secrets.", required: true),
                field("secretValue", "Connected App Secret Value", "The value of that secret. It is shown only once when the secret is created.", required: true, secret: true),
                field("secretValueRef", "Secret Reference", secretRefHelp, required: false),
                field("username", "Username", "The Tableau user Freshet acts as (usually an email address).", required: true),
            ]
        } else {
            fields += [
                field("patName", "Personal Access Token Name", patNameHelp, required: true),
                field("patSecret", "Personal Access Token Secret", patSecretHelp, required: true, secret: true),
                field("patSecretRef", "Secret Reference", secretRefHelp, required: false),
            ]
        }
        fields.append(field("keepAliveDays", "Keep-alive (days)", keepAliveHelp, required: false))
        let name = field(
            "name", "Connection name", "How pipelines and the command line name this connection (for example prod). Leave empty to use the site content URL, or “default” for the Default site.",
            required: false)
        return ConnectionForm(
            action: "/connections", csrf: csrf, isNew: true, connectedApp: connectedApp, auth: connectedApp ? "connected-app" : "pat", nameField: name, fields: fields,
            formError: errors["form"], submitLabel: "Save connection",
            otherVariant: connectedApp ? "/connections/new" : "/connections/new?auth=connected-app")
    }

    /// The form editing `view`: server URL, site and PAT name (or the connected app's ids) shown
    /// in full, the secret only masked.
    static func edit(_ view: ConnectionView, csrf: String, values: FormData? = nil, errors: [String: String] = [:]) -> ConnectionForm {
        let connectedApp = view.clientId != nil
        func field(_ id: String, _ label: String, _ help: String, stored: String?, secret: Bool = false) -> Field {
            Field(
                id: id, label: label, help: help, value: secret ? nil : (values?[id] ?? stored), error: errors[id], required: false, secret: secret,
                masked: secret ? view.secretMasked : nil, autocomplete: "off")
        }
        let host = view.serverURL.hasPrefix("https://") ? String(view.serverURL.dropFirst("https://".count)) : view.serverURL
        var fields = [
            field("serverUrl", "Server URL", serverHelp, stored: host),
            field("siteContentUrl", "Site Content URL", siteHelp, stored: view.siteContentUrl),
        ]
        if connectedApp {
            fields += [
                field("clientId", "Connected App Client ID", "The client ID of the connected app. Leave empty to keep it.", stored: view.clientId),
                field("secretId", "Connected App Secret ID", "The ID of one of the connected app's secrets. Leave empty to keep it.", stored: view.secretId),
                field("secretValue", "Connected App Secret Value", "The value of that secret. It is shown only once when the secret is created.", stored: nil, secret: true),
                field("secretValueRef", "Secret Reference", secretRefHelp, stored: view.secretRef),
                field("username", "Username", "The Tableau user Freshet acts as. Leave empty to keep it.", stored: view.username),
            ]
        } else {
            fields += [
                field("patName", "Personal Access Token Name", patNameHelp, stored: view.patName),
                field("patSecret", "Personal Access Token Secret", patSecretHelp, stored: nil, secret: true),
                field("patSecretRef", "Secret Reference", secretRefHelp, stored: view.secretRef),
            ]
        }
        fields.append(field("keepAliveDays", "Keep-alive (days)", keepAliveHelp, stored: view.keepAliveDays.map(String.init) ?? ""))
        return ConnectionForm(
            action: "/connections/\(FormData.encode(view.name))", csrf: csrf, isNew: false, connectedApp: connectedApp,
            auth: connectedApp ? "connected-app" : "pat", nameField: nil,
            fields: fields, formError: errors["form"], submitLabel: "Save changes", otherVariant: nil)
    }

    /// The draft a new-connection form describes (a blank name defaults to the site, or "default").
    static func draft(_ form: FormData) -> ConnectionDraft {
        let site = form["siteContentUrl"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let name = form.text("name") ?? (site.isEmpty ? "default" : site)
        var draft = ConnectionDraft(name: name, serverURL: form["serverUrl"], siteContentUrl: site)
        fillSecretFields(&draft, form, connectedApp: form["auth"] == "connected-app")
        return draft
    }

    /// The edit a form describes: blank server URL, PAT name and secrets keep what is stored; the
    /// site content URL is always saved.
    static func editDraft(_ form: FormData, name: String, connectedApp: Bool) -> ConnectionDraft {
        var draft = ConnectionDraft(name: name, serverURL: form["serverUrl"], siteContentUrl: form["siteContentUrl"] ?? "")
        fillSecretFields(&draft, form, connectedApp: connectedApp)
        // An emptied keep-alive field turns keep-alive off.
        if draft.keepAliveDays == nil, form["keepAliveDays"] != nil { draft.keepAliveDays = 0 }
        return draft
    }

    /// The sign-in fields (ids, secret or reference) and keep-alive days of `form`.
    private static func fillSecretFields(_ draft: inout ConnectionDraft, _ form: FormData, connectedApp: Bool) {
        if connectedApp {
            draft.connectedApp = .init(
                clientId: form["clientId"], secretId: form["secretId"], secretValue: form["secretValue"], secretValueRef: form.text("secretValueRef"),
                username: form["username"])
        } else {
            draft.patName = form["patName"]
            draft.patSecret = form["patSecret"]
            draft.patSecretRef = form.text("patSecretRef")
        }
        if let text = form.text("keepAliveDays") { draft.keepAliveDays = Int(text) ?? -1 }
    }

    /// Every problem of a new-connection draft, by input name, in the engine's words: each
    /// problem the engine finds is noted, its field filled with a stand-in, and the draft
    /// validated again, until it passes.
    static func problems(_ draft: ConnectionDraft) -> [String: String] {
        var draft = draft
        var problems: [String: String] = [:]
        for _ in 0..<12 {
            do {
                _ = try draft.validatedForAdd()
                return problems
            } catch {
                let input = inputName(error.field) ?? "form"
                guard problems[input] == nil else { return problems }
                problems[input] = error.message
                guard fillStandIn(&draft, field: error.field) else { return problems }
            }
        }
        return problems
    }

    private static func fillStandIn(_ draft: inout ConnectionDraft, field: String?) -> Bool {
        switch field {
        case "name": draft.name = "stand-in"
        case "server": draft.serverURL = "stand-in.invalid"
        case "siteContentUrl": draft.siteContentUrl = ""
        case "apiVersion": draft.apiVersionPin = nil
        case "patName": draft.patName = "stand-in"
        case "patSecret": draft.patSecret = "stand-in"
        case "patSecretRef": draft.patSecretRef = nil
        case "secretValueRef": draft.connectedApp?.secretValueRef = nil
        case "keepAliveDays": draft.keepAliveDays = nil
        case "clientId": draft.connectedApp?.clientId = "stand-in"
        case "secretId": draft.connectedApp?.secretId = "stand-in"
        case "secretValue": draft.connectedApp?.secretValue = "stand-in"
        case "username": draft.connectedApp?.username = "stand-in"
        default: return false
        }
        return true
    }
}
