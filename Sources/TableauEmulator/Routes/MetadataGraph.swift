import Foundation

/// Answers Metadata API queries from the seeded lineage. (Minimal placeholder: replaced by a
/// GraphQL schema in a follow-up commit.)
struct MetadataGraph {
    let site: Site

    func answer(_ body: [UInt8]) -> Reply {
        .json(200, #"{"data":null,"errors":[{"message":"The emulator's Metadata API is not available yet.","path":null,"extensions":null}]}"#)
    }
}
