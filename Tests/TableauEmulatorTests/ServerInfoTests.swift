import Foundation
import TableauEmulator
import Testing

/// REST API versions 2.4 … max, and the unauthenticated serverinfo call clients negotiate with.
@Suite struct ServerInfoTests {
    @Test(arguments: ["2.4", "2.8", "3.0", "3.9", "3.10", "3.17", "3.24"])
    func everyVersionUpToTheMaximumAnswers(version: String) async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let answer = try await Tab(emulator, version: version).get("serverinfo")
            #expect(answer.status == 200)
            let info = try answer.json()["serverInfo"]
            #expect(info["restApiVersion"].stringValue == "3.24")
        }
    }

    @Test(arguments: ["3.25", "4.0", "2.3", "1.0", "latest", "3"])
    func versionsOutsideTheRangeAre404001(version: String) async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let answer = try await Tab(emulator, version: version).get("serverinfo")
            #expect(answer.status == 404)
            let error = try answer.json()["error"]
            #expect(error["code"] == .string("404001"))
            #expect(error["summary"].stringValue == "Resource Not Found")
            #expect(error["detail"].stringValue == "Version '\(version)' is not a valid version of the API.")
        }
    }

    @Test func serverInfoNeedsNoTokenAndReportsProductVersionWithBuildInXML() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            var tab = Tab(emulator, version: "2.4")
            tab.wantsJSON = false
            let answer = try await tab.get("serverInfo")
            #expect(answer.status == 200)
            #expect(answer.contentType.hasPrefix("application/xml"))
            let root = try XMLNode.parse(answer.body)
            #expect(root.name == "tsResponse")
            #expect(root.namespace == "http://tableau.com/api")
            let product = try #require(root.first("productVersion"))
            #expect(product.text == "2024.3.0")
            let build = try #require(product["build"])
            #expect(build.hasPrefix("20243."))
            #expect(root.first("restApiVersion")?.text == "3.24")
        }
    }

    @Test(arguments: ["serverinfo", "serverInfo", "SERVERINFO", "ServerInfo"])
    func serverInfoPathIsCaseInsensitive(path: String) async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let answer = try await Tab(emulator, version: "2.4").get(path)
            #expect(answer.status == 200)
            let info = try answer.json()["serverInfo"]
            #expect(info["productVersion"]["value"].stringValue == "2024.3.0")
            #expect(info["productVersion"]["build"].stringValue?.isEmpty == false)
            #expect(info["restApiVersion"].stringValue == "3.24")
        }
    }

    @Test func configuredMaximumVersionLimitsTheRangeAndTheProductVersion() async throws {
        try await withEmulator(seed: Demo.seed(), configuration: EmulatorConfiguration(maxApiVersion: "3.19")) { emulator in
            let info = try await Tab(emulator, version: "3.19").get("serverinfo").json()["serverInfo"]
            #expect(info["restApiVersion"].stringValue == "3.19")
            #expect(info["productVersion"]["value"].stringValue == "2023.1.0")
            let above = try await Tab(emulator, version: "3.20").get("serverinfo")
            #expect(above.status == 404)
            #expect(Tab.errorCode(above) == "404001")
        }
    }

    @Test func seedCanSetProductVersionAndBuild() async throws {
        var seed = try Demo.seed()
        seed.server = Seed.ServerSettings(maxApiVersion: "3.28", productVersion: "2026.1.0", build: "20261.26.0211.1127")
        try await withEmulator(seed: seed) { emulator in
            let info = try await Tab(emulator, version: "3.28").get("serverinfo").json()["serverInfo"]
            #expect(info["productVersion"]["value"].stringValue == "2026.1.0")
            #expect(info["productVersion"]["build"].stringValue == "20261.26.0211.1127")
            #expect(info["restApiVersion"].stringValue == "3.28")
        }
    }

    @Test func clientsSignInAtTheOldestVersionThenUseTheNegotiatedOne() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let old = try await Tab(emulator, version: "2.4").admin()
            let negotiated = try await Tab(emulator, version: "2.4").get("serverinfo").json()["serverInfo"]["restApiVersion"].stringValue
            var current = old
            current.version = try #require(negotiated)
            let answer = try await current.get("sites/SITE/workbooks")
            #expect(answer.status == 200)
        }
    }

    @Test func unknownResourceIs404003() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let answer = try await Tab(emulator).get("nothing/here")
            #expect(answer.status == 404)
            #expect(Tab.errorCode(answer) == "404003")
        }
    }

    @Test func wrongMethodIs405() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let answer = try await Tab(emulator).post("serverinfo", "{}")
            #expect(answer.status == 405)
            #expect(Tab.errorCode(answer) == "405000")
        }
    }
}
