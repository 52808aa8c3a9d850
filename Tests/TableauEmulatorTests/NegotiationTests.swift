import Foundation
import NIOHTTP1
import TableauEmulator
import Testing

/// XML by default, JSON on request, for answers, request bodies and errors (REST-API.md §1, §14, §15).
@Suite struct NegotiationTests {
    static func isTableauDate(_ text: String?) -> Bool {
        text?.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/#) != nil
    }

    @Test func answersAreXMLInTableausNamespaceByDefault() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            var tab = try await Tab(emulator).admin()
            tab.wantsJSON = false
            let answer = try await tab.get("sites/SITE/workbooks")
            #expect(answer.status == 200)
            #expect(answer.contentType.hasPrefix("application/xml"))
            #expect(answer.body.hasPrefix("<?xml"))
            let root = try XMLNode.parse(answer.body)
            #expect(root.name == "tsResponse")
            #expect(root.namespace == "http://tableau.com/api")
            let pagination = try #require(root.first("pagination"))
            #expect(pagination["pageNumber"] == "1")
            #expect(pagination["pageSize"] == "100")
            #expect(pagination["totalAvailable"] == "3")
            let workbooks = root.all("workbook")
            #expect(workbooks.count == 3)
            for workbook in workbooks {
                #expect(workbook.namespace == "http://tableau.com/api")
                let created = try #require(workbook["createdAt"])
                #expect(Self.isTableauDate(created), "date \(created)")
                #expect(workbook.first("project")?["name"] != nil)
            }
        }
    }

    @Test func answersAreJSONWhenAskedFor() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let answer = try await tab.get("sites/SITE/workbooks")
            #expect(answer.contentType.hasPrefix("application/json"))
            let json = try answer.json()
            #expect(json["pagination"]["pageNumber"] == .string("1"))
            #expect(json["pagination"]["totalAvailable"] == .string("3"))
            let workbooks = json["workbooks"]["workbook"].items
            #expect(workbooks.count == 3)
            let first = try #require(workbooks.first)
            #expect(first["project"]["id"].stringValue != nil)
            #expect(first["owner"]["id"].stringValue != nil)
            #expect(Self.isTableauDate(first["createdAt"].stringValue))
            #expect(first["tags"].keys.isEmpty || first["tags"]["tag"].items.count > 0)
        }
    }

    @Test func emptyListsAreEmptyObjectsInJSONAndEmptyElementsInXML() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            var tab = try await Tab(emulator).admin()
            let json = try await tab.get("sites/SITE/jobs").json()
            #expect(json["backgroundJobs"].isEmptyObject)
            #expect(json["pagination"]["totalAvailable"] == .string("0"))
            tab.wantsJSON = false
            let xml = try XMLNode.parse(try await tab.get("sites/SITE/jobs").body)
            #expect(xml.first("backgroundJobs")?.children.isEmpty == true)
        }
    }

    @Test func signInAcceptsXMLAndJSONBodiesIndependentlyOfTheAnswerFormat() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            var tab = Tab(emulator)
            // XML body, XML answer.
            tab.wantsJSON = false
            let xmlBody = #"<tsRequest><credentials personalAccessTokenName="freshet-admin" personalAccessTokenSecret="demo-admin-pat-secret"><site contentUrl=""/></credentials></tsRequest>"#
            let xmlAnswer = try await tab.post("auth/signin", xmlBody)
            #expect(xmlAnswer.status == 200)
            let credentials = try #require(try XMLNode.parse(xmlAnswer.body).first("credentials"))
            #expect(credentials["token"]?.isEmpty == false)
            #expect(credentials.first("site")?["id"] != nil)
            #expect(credentials.first("site")?["contentUrl"] == "")
            #expect(credentials.first("user")?["id"] != nil)
            // XML body, JSON answer.
            tab.wantsJSON = true
            let mixed = try await tab.post("auth/signin", xmlBody)
            #expect(mixed.status == 200)
            #expect(try mixed.json()["credentials"]["token"].stringValue != nil)
            // JSON body, XML answer.
            tab.wantsJSON = false
            let jsonBody = Demo.patBody("freshet-analyst", "demo-analyst-pat-secret")
            let other = try await tab.post("auth/signin", jsonBody)
            #expect(other.status == 200)
            #expect(try XMLNode.parse(other.body).first("credentials")?["token"] != nil)
        }
    }

    @Test func xmlBodiesWithTheTableauNamespaceAndDeclarationAreRead() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let body = #"<?xml version="1.0" encoding="UTF-8"?><tsRequest xmlns="http://tableau.com/api"><credentials name="admin@example.com" password="demo-password"><site contentUrl=""/></credentials></tsRequest>"#
            let answer = try await Tab(emulator).post("auth/signin", body)
            #expect(answer.status == 200)
            #expect(try answer.json()["credentials"]["site"]["contentUrl"] == .string(""))
        }
    }

    @Test func errorsAreXMLByDefault() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            var tab = Tab(emulator)
            tab.wantsJSON = false
            let answer = try await tab.get("sites/whatever/workbooks")
            #expect(answer.status == 401)
            let root = try XMLNode.parse(answer.body)
            #expect(root.namespace == "http://tableau.com/api")
            let error = try #require(root.first("error"))
            #expect(error["code"] == "401000")
            #expect(error.first("summary")?.text == "Unauthorized Access")
            #expect(error.first("detail")?.text == "No authentication credentials were provided.")
        }
    }

    @Test func errorsAreJSONWithAStringCodeWhenAskedFor() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let answer = try await Tab(emulator).get("sites/whatever/workbooks")
            #expect(answer.status == 401)
            let error = try answer.json()["error"]
            #expect(error["code"] == .string("401000"))
            #expect(error["summary"] == .string("Unauthorized Access"))
            #expect(error["detail"] == .string("No authentication credentials were provided."))
        }
    }

    @Test(arguments: ["{not json", "<tsRequest><credentials", "[1,2]"])
    func malformedBodiesAre400000(body: String) async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let answer = try await Tab(emulator).post("auth/signin", body)
            #expect(answer.status == 400)
            #expect(Tab.errorCode(answer) == "400000")
        }
    }

    @Test func acceptHeaderPreferringXMLGivesXML() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let answer = try await send(
                .GET, emulator.baseURL + "/api/3.24/serverinfo", headers: [("Accept", "application/xml, application/json")]
            )
            #expect(answer.contentType.hasPrefix("application/xml"))
            let any = try await send(.GET, emulator.baseURL + "/api/3.24/serverinfo", headers: [("Accept", "application/json, text/plain, */*")])
            #expect(any.contentType.hasPrefix("application/json"))
        }
    }
}
