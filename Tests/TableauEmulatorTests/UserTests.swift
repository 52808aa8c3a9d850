import Foundation
import TableauEmulator
import Testing

/// Users: query, get, update site role, add to site, remove from site (REST-API.md §9).
@Suite struct UserTests {
    func userId(_ tab: Tab, _ name: String) async throws -> String {
        let answer = try await tab.get("sites/SITE/users?filter=name:eq:\(name)")
        return try #require(try answer.json()["users"]["user"][0]["id"].stringValue, "\(answer)")
    }

    @Test func listAndGetUsers() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let admin = try await Tab(emulator).admin()
            let users = try await admin.get("sites/SITE/users").json()
            #expect(users["pagination"]["totalAvailable"] == .string("4"))
            let viewer = try await userId(admin, "viewer@example.com")
            let user = try await admin.get("sites/SITE/users/\(viewer)").json()["user"]
            #expect(user["name"] == .string("viewer@example.com"))
            #expect(user["fullName"] == .string("Vic Viewer"))
            #expect(user["siteRole"] == .string("Viewer"))
            #expect(user["lastLogin"] == .string("2026-10-15T09:00:00Z"))
            #expect(user["domain"]["name"] == .string("local"))
            let missing = try await admin.get("sites/SITE/users/00000000-0000-0000-0000-000000000000")
            #expect(missing.status == 404)
            let error = try missing.json()["error"]
            #expect(error["code"] == .string("404002"))
            #expect(error["detail"] == .string("User '00000000-0000-0000-0000-000000000000' could not be found."))
        }
    }

    @Test func nonAdministratorsMayReadThemselvesOnly() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let admin = try await Tab(emulator).admin()
            let analyst = try await Tab(emulator).analyst()
            #expect(try await analyst.get("sites/SITE/users/\(analyst.userId)").status == 200)
            let other = try await analyst.get("sites/SITE/users/\(admin.userId)")
            #expect(other.status == 403)
        }
    }

    @Test func updateSiteRole() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let admin = try await Tab(emulator).admin()
            let viewer = try await userId(admin, "viewer@example.com")
            let answer = try await admin.put("sites/SITE/users/\(viewer)", #"{"user":{"siteRole":"Explorer"}}"#)
            #expect(answer.status == 200)
            let user = try answer.json()["user"]
            #expect(user["siteRole"] == .string("Explorer"))
            #expect(user["name"] == .string("viewer@example.com"))
            #expect(user["id"].isNull)
            var xml = admin
            xml.wantsJSON = false
            let back = try await xml.put("sites/SITE/users/\(viewer)", #"<tsRequest><user siteRole="Viewer"/></tsRequest>"#)
            #expect(try XMLNode.parse(back.body).first("user")?["siteRole"] == "Viewer")
            #expect(try await admin.get("sites/SITE/users/\(viewer)").json()["user"]["siteRole"] == .string("Viewer"))
        }
    }

    @Test(arguments: ["SuperUser", "viewer", "ServerAdministrator", "Interactor", ""])
    func invalidRolesAre400013(role: String) async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let admin = try await Tab(emulator).admin()
            let viewer = try await userId(admin, "viewer@example.com")
            let answer = try await admin.put("sites/SITE/users/\(viewer)", #"{"user":{"siteRole":"\#(role)"}}"#)
            #expect(answer.status == 400)
            let error = try answer.json()["error"]
            #expect(error["code"] == .string("400013"))
            #expect(error["summary"] == .string("Invalid site role"))
            #expect(try await admin.get("sites/SITE/users/\(viewer)").json()["user"]["siteRole"] == .string("Viewer"))
        }
    }

    @Test func makingAUserUnlicensedEndsTheirSessionsAndSignIns() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let admin = try await Tab(emulator).admin()
            let analyst = try await Tab(emulator).analyst()
            let answer = try await admin.put("sites/SITE/users/\(analyst.userId)", #"{"user":{"siteRole":"Unlicensed"}}"#)
            #expect(answer.status == 200)
            #expect(try await analyst.get("sites/SITE/workbooks").status == 401)
            let again = try await Tab(emulator).post("auth/signin", Demo.patBody("freshet-analyst", "demo-analyst-pat-secret"))
            #expect(again.status == 401)
            #expect(Tab.errorCode(again) == "401001")
        }
    }

    @Test func nonAdministratorsCannotChangeRoles() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let analyst = try await Tab(emulator).analyst()
            let answer = try await analyst.put("sites/SITE/users/\(analyst.userId)", #"{"user":{"siteRole":"SiteAdministratorCreator"}}"#)
            #expect(answer.status == 403)
        }
    }

    @Test func addUserAndDuplicateIs409017() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let admin = try await Tab(emulator).admin()
            let body = #"<tsRequest><user name="newbie@example.com" siteRole="Viewer" authSetting="ServerDefault"/></tsRequest>"#
            var xml = admin
            xml.wantsJSON = false
            let added = try await xml.post("sites/SITE/users", body)
            #expect(added.status == 201)
            let user = try #require(try XMLNode.parse(added.body).first("user"))
            #expect(user["name"] == "newbie@example.com")
            #expect(user["siteRole"] == "Viewer")
            #expect(user["id"]?.count == 36)
            let duplicate = try await admin.post("sites/SITE/users", #"{"user":{"name":"newbie@example.com","siteRole":"Viewer"}}"#)
            #expect(duplicate.status == 409)
            #expect(Tab.errorCode(duplicate) == "409017")
            let badRole = try await admin.post("sites/SITE/users", #"{"user":{"name":"other@example.com","siteRole":"Boss"}}"#)
            #expect(Tab.errorCode(badRole) == "400013")
            let noName = try await admin.post("sites/SITE/users", #"{"user":{"siteRole":"Viewer"}}"#)
            #expect(Tab.errorCode(noName) == "400000")
            #expect(try await admin.get("sites/SITE/users").json()["pagination"]["totalAvailable"] == .string("5"))
        }
    }

    @Test func removeAUserWhoOwnsNothing() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let admin = try await Tab(emulator).admin()
            let viewer = try await userId(admin, "viewer@example.com")
            let removed = try await admin.delete("sites/SITE/users/\(viewer)")
            #expect(removed.status == 204)
            #expect(try await admin.get("sites/SITE/users/\(viewer)").status == 404)
            #expect(Tab.errorCode(try await admin.delete("sites/SITE/users/\(viewer)")) == "404002")
        }
    }

    static func ownerSeed() -> Seed {
        Seed(
            personalAccessTokens: [Seed.PATSeed(name: "admin", secret: "a", user: "admin@example.com")],
            sites: [
                Seed.SiteSeed(
                    name: "Default", contentUrl: "",
                    users: [
                        Seed.UserSeed(name: "admin@example.com", siteRole: "SiteAdministratorCreator"),
                        Seed.UserSeed(name: "owner@example.com", siteRole: "Creator"),
                    ],
                    datasources: [Seed.ContentSeed(name: "Owned", owner: "owner@example.com")]
                )
            ]
        )
    }

    @Test func removingAContentOwnerMakesThemUnlicensedAndAnswers409() async throws {
        try await withEmulator(seed: Self.ownerSeed()) { emulator in
            let admin = try await Tab(emulator).signedIn(pat: "admin", secret: "a")
            let owner = try await userId(admin, "owner@example.com")
            let answer = try await admin.delete("sites/SITE/users/\(owner)")
            #expect(answer.status == 409)
            #expect(Tab.errorCode(answer) == "409003")
            let user = try await admin.get("sites/SITE/users/\(owner)").json()["user"]
            #expect(user["siteRole"] == .string("Unlicensed"))
        }
    }

    @Test func removingAContentOwnerWithMapAssetsToRemovesThem() async throws {
        try await withEmulator(seed: Self.ownerSeed()) { emulator in
            let admin = try await Tab(emulator).signedIn(pat: "admin", secret: "a")
            let owner = try await userId(admin, "owner@example.com")
            let answer = try await admin.delete("sites/SITE/users/\(owner)?mapAssetsTo=\(admin.userId)")
            #expect(answer.status == 204)
            #expect(try await admin.get("sites/SITE/users/\(owner)").status == 404)
            let datasource = try await admin.get("sites/SITE/datasources?filter=name:eq:Owned").json()
            #expect(datasource["datasources"]["datasource"][0]["owner"]["id"].stringValue == admin.userId)
        }
    }
}
