import Foundation
import Testing
@testable import TableauClient

/// Tableau's JSON quirks (REST-API.md §15), read from fixtures in Tableau's shapes.
@Suite struct DecodingTests {
    func json(_ text: String) throws -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    @Test func listsMayBeEmptyObjectsSingleObjectsOrBareArrays() throws {
        #expect(try json(#"{"backgroundJobs":{}}"#).list("backgroundJobs", "backgroundJob").isEmpty)
        #expect(try json(#"{"workbooks":{"workbook":{"id":"a","name":"A"}}}"#).list("workbooks", "workbook").count == 1)
        #expect(try json(#"{"workbooks":[{"id":"a"},{"id":"b"}]}"#).list("workbooks", "workbook").count == 2)
        #expect(try json(#"{"workbooks":{"workbook":[{"id":"a"},{"id":"b"},{"id":"c"}]}}"#).list("workbooks", "workbook").count == 3)
    }

    @Test func numbersAndBooleansMayArriveAsStrings() throws {
        let value = try json(#"{"pageNumber":"2","pageSize":100,"flag":"true","other":false}"#)
        #expect(value["pageNumber"]?.int == 2)
        #expect(value["pageSize"]?.int == 100)
        #expect(value["flag"]?.bool == true)
        #expect(value["other"]?.bool == false)
    }

    @Test func paginationReadsStringNumbers() throws {
        let pagination = Pagination(json: try json(#"{"pageNumber":"1","pageSize":"100","totalAvailable":"158"}"#), fallbackCount: 0)
        #expect(pagination == Pagination(json: try json(#"{"pageNumber":1,"pageSize":100,"totalAvailable":158}"#), fallbackCount: 0))
        #expect(pagination.hasMore)
    }

    @Test func failedJobCarriesNotesAndFinishCode() throws {
        let job = try #require(Job(json: try json(#"""
            {"job":{"id":"j1","mode":"Asynchronous","type":"RefreshExtract","progress":"100","createdAt":"2021-10-05T18:53:34Z",
             "startedAt":"2021-10-05T18:53:34Z","completedAt":"2021-10-05T18:53:35Z","finishCode":"1",
             "extractRefreshJob":{"workbook":{"id":"w1","name":"Superstore"},"notes":"Login failed for user"}}}
            """#)))
        #expect(job.outcome == .failed(notes: "Login failed for user"))
        #expect(job.targetType == .workbook && job.targetName == "Superstore")
        #expect(job.completedAt == Date(timeIntervalSince1970: 1_633_460_015))
    }

    @Test func runningJobHasNoOutcome() throws {
        let job = try #require(Job(json: try json(#"{"job":{"id":"j2","progress":"0","createdAt":"2021-10-05T18:53:34Z","extractRefreshJob":{"datasource":{"id":"d","name":"D"}}}}"#)))
        #expect(job.outcome == nil)
        #expect(job.targetType == .datasource)
    }

    @Test func timestampsReadWithFractionsAndOffsets() throws {
        #expect(TableauTimestamp.parse("2021-10-05T18:53:34Z") == Date(timeIntervalSince1970: 1_633_460_014))
        #expect(TableauTimestamp.parse("2021-10-05T18:53:34.250Z") == Date(timeIntervalSince1970: 1_633_460_014.25))
        #expect(TableauTimestamp.parse("2021-10-05T20:53:34+02:00") == Date(timeIntervalSince1970: 1_633_460_014))
        #expect(TableauTimestamp.parse("2021-13-05T18:53:34Z") == nil)
        #expect(TableauTimestamp.parse("yesterday") == nil)
        #expect(TableauTimestamp.format(Date(timeIntervalSince1970: 1_633_460_014)) == "2021-10-05T18:53:34Z")
    }

    @Test func finishCodeThreeCountsAsSuccessAndTwoAsCancelled() throws {
        #expect(Job(json: try json(#"{"job":{"id":"a","completedAt":"2021-10-05T18:53:35Z","finishCode":3}}"#))?.outcome == .succeeded)
        #expect(Job(json: try json(#"{"job":{"id":"a","completedAt":"2021-10-05T18:53:35Z","finishCode":2}}"#))?.outcome == .cancelled)
    }

    @Test func serverInfoReadsValueAndBuild() throws {
        let info = try #require(ServerInfo(json: try json(#"{"serverInfo":{"productVersion":{"value":"2026.1.0","build":"20261.26.0211.1127"},"restApiVersion":"3.28"}}"#)))
        #expect(info.productVersion == "2026.1.0" && info.build == "20261.26.0211.1127" && info.restApiVersion == "3.28")
    }

    @Test func contentItemReadsTagsProjectAndExtractFlag() throws {
        let item = try #require(ContentItem(json: try json(#"""
            {"id":"d1","name":"Sales","type":"hyper","hasExtracts":"true","project":{"id":"p","name":"Default"},
             "owner":{"id":"u"},"tags":{"tag":{"label":"certified"}},"createdAt":"2024-01-01T10:00:00Z"}
            """#), type: .datasource))
        #expect(item.hasExtracts && item.tags == ["certified"] && item.projectName == "Default" && item.connectionType == "hyper")
        #expect(item.createdAt != nil)
    }

    @Test func listOptionsBuildTableauQueryStrings() {
        var options = ListOptions(pageSize: 5000)
        options.filter(.name, .eq, "Sales Report")
        options.filter("jobType", in: ["refresh_extracts", "increment_extracts"])
        options.sort("createdAt", ascending: false)
        let query = options.query(page: 2)
        #expect(query.first { $0.0 == "pageSize" }?.1 == "1000")
        #expect(query.first { $0.0 == "pageNumber" }?.1 == "2")
        #expect(query.first { $0.0 == "filter" }?.1 == "name:eq:Sales Report,jobType:in:[refresh_extracts,increment_extracts]")
        #expect(query.first { $0.0 == "sort" }?.1 == "createdAt:desc")
        #expect(QueryEncoding.encode("name:eq:Sales Report") == "name:eq:Sales%20Report")
    }
}
