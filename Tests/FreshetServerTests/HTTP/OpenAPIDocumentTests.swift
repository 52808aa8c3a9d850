import Foundation
import FreshetServer
import Hummingbird
import HummingbirdTesting
import Testing
import Yams

/// The OpenAPI document parses, and documents exactly the routes the router serves.
@Suite struct OpenAPIDocumentTests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    func documented() throws -> Set<String> {
        let document = try #require(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: Any])
        var operations: Set<String> = []
        for (path, item) in paths {
            let item = try #require(item as? [String: Any])
            for key in item.keys where Self.methods.contains(key) { operations.insert("\(key.uppercased()) \(path)") }
        }
        return operations
    }

    @Test func everyRouteIsDocumentedAndViceVersa() async throws {
        let fixture = try await HTTPFixture()
        defer { fixture.data.remove() }
        // The web console's HTML pages and forms are not part of the API document.
        let served = Set(fixture.server.router().routes.map { "\($0.method.rawValue) \($0.path.description)" })
            .subtracting(Console.routes(api: fixture.server.api))
        let documented = try documented()
        #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
        #expect(served.count >= 14)
    }

    @Test func everyReferenceResolves() throws {
        let text = OpenAPIDocument.yaml
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let components = try #require(document["components"] as? [String: Any])
        let references = text.matches(of: /\$ref: "#\/components\/(\w+)\/(\w+)"/).map { (String($0.1), String($0.2)) }
        #expect(!references.isEmpty)
        for (kind, name) in references {
            #expect((components[kind] as? [String: Any])?[name] != nil, "\(kind)/\(name)")
        }
    }

    /// The API's one description is a file in the repository, served as it is.
    @Test func theServedDocumentIsTheRepositorysFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = root.appendingPathComponent("Sources/FreshetServer/openapi.yaml")
        #expect(try String(contentsOf: file, encoding: .utf8) == OpenAPIDocument.yaml)
    }

    @Test func theDocumentIsServedWithoutAToken() async throws {
        try await HTTPFixture.test { _, client in
            let response = try await client.call(.get, "/api/v1/openapi.yaml")
            #expect(response.status == .ok)
            #expect(response.text == OpenAPIDocument.yaml)
        }
    }
}
