import Foundation
import Hummingbird
import Mustache

/// Renders the console's Mustache templates (``ConsoleTemplates``, compiled once) into pages.
/// Mustache escapes every `{{value}}` for HTML; only the layout's `{{{body}}}` (already rendered
/// HTML) and server-made SVG are inserted raw.
struct ConsoleRenderer: Sendable {
    static let shared = ConsoleRenderer()
    let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        for (name, text) in ConsoleTemplates.all {
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("console template \(name) does not parse: \(error)")
            }
        }
        self.library = library
    }

    /// `template` rendered with `model`.
    func render(_ template: String, _ model: Any) -> String {
        library.render(model, withTemplate: template) ?? ""
    }

    /// `template` inside the layout, as an HTML response.
    func page(_ template: String, title: String, model: Any, navigation: ConsoleNavigation?, status: HTTPResponse.Status) -> Response {
        let body = render(template, model)
        let html = render("layout", LayoutModel(title: title, navigation: navigation, body: body))
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// What the layout shows around a page.
struct LayoutModel {
    var title: String
    var navigation: ConsoleNavigation?
    var body: String
}
