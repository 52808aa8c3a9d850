import Foundation
import Freshet
@testable import FreshetServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The runs list over many stored runs: paging without gaps or repeats, and (when
/// FRESHET_CONSOLE_MEASURE=1) time to first byte and page weight with 10,000 runs.
@Suite struct ConsoleRunsPageTests {
    /// Stores `count` ended runs on a connection named "prod", one second apart, newest last.
    static func seed(_ fixture: HTTPFixture, count: Int) async throws -> [String] {
        let connection = try await fixture.addConnection("prod")
        let start = Date().addingTimeInterval(-Double(count) - 60)
        var ids: [String] = []
        for index in 0..<count {
            let created = start.addingTimeInterval(Double(index))
            let name = ["Sales", "Orders", "Inventory", "Web Traffic"][index % 4]
            var run = Run(
                connectionId: connection.id, target: "datasource \(name)",
                item: RunItem(contentType: .datasource, tableauId: "ds-\(index % 4)", name: name), projectName: "Default",
                actor: index % 3 == 0 ? "token:airflow" : "token:cron", createdAt: created)
            run.state = index % 7 == 0 ? .failed : .succeeded
            run.updatedAt = created.addingTimeInterval(3)
            run.jobId = "job-\(index)"
            run.notes = run.state == .failed ? "com.tableausoftware.nativeapi.dll.DataSourceException: Login failed for user 'etl'." : nil
            ids.append(try await fixture.runtime.store.create(run, joiningActive: false).run.id)
        }
        return ids
    }

    @Test func pagesFollowEachOtherWithoutGapsOrRepeats() async throws {
        try await ConsoleTest.run { fixture, browser in
            let ids = try await Self.seed(fixture, count: 120)
            try await browser.signIn(fixture.adminToken)
            var seen: [String] = []
            var next: String? = "/runs"
            while let page = next {
                let response = try await browser.get(page)
                #expect(response.status == .ok)
                let rows = response.text.components(separatedBy: "<tr data-run=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
                #expect(rows.count <= RunFilter.pageSize)
                seen += rows
                next = response.text.range(of: "rel=\"next\"").flatMap { _ in
                    let link = response.text.components(separatedBy: "<a href=\"").last { $0.contains("rel=\"next\"") }
                    return link.map { String($0.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&") }
                }
            }
            #expect(seen == ids.reversed())
            let filtered = try await browser.get("/runs?state=failed&caller=airflow&item=sales")
            let rows = filtered.text.components(separatedBy: "<tr data-run=\"").count - 1
            #expect(rows == (0..<120).filter { $0 % 7 == 0 && $0 % 3 == 0 && $0 % 4 == 0 }.count)
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["FRESHET_CONSOLE_MEASURE"] == "1"))
    func theRunsPageWithTenThousandRunsIsFastAndLight() async throws {
        let fixture = try await HTTPFixture()
        defer { fixture.data.remove() }
        _ = try await Self.seed(fixture, count: 10_000)
        let app = Application(router: fixture.server.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let browser = ConsoleBrowser(client: client)
            try await browser.signIn(fixture.adminToken)
            for _ in 0..<20 { _ = try await browser.get("/runs") }
            var times: [Double] = []
            var bytes = 0
            for _ in 0..<300 {
                let start = ContinuousClock.now
                let page = try await browser.get("/runs")
                let elapsed = ContinuousClock.now - start
                times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                bytes = page.body.readableBytes
                #expect(page.status == .ok)
            }
            times.sort()
            let p50 = times[times.count / 2], p99 = times[Int(Double(times.count) * 0.99)]
            let older = try await browser.get("/runs?state=failed")
            print("console measure: /runs with 10000 runs: p50 \(p50) ms, p99 \(p99) ms, \(bytes) bytes; ?state=failed \(older.body.readableBytes) bytes")
            #expect(p99 <= 50)
            #expect(bytes <= 100_000)
        }
    }
}
