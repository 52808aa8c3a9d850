/// The keys each object of a seed may hold, so that a misspelt key is an error instead of being
/// silently ignored.
enum SeedSchema {
    indirect enum Shape: Sendable {
        case object([String: Shape])
        case array(Shape)
        case any
    }

    static let refresh: Shape = .object([
        "durationSeconds": .any, "queueSeconds": .any, "outcome": .any, "outcomes": .any, "notes": .any,
    ])
    static let usage: Shape = .object([
        "hitsTotal": .any, "hitsLastTwoWeeksTotal": .any, "hitsLastOneMonthTotal": .any, "hitsLastThreeMonthsTotal": .any,
        "hitsLastTwelveMonthsTotal": .any,
    ])
    static let content: Shape = .object([
        "id": .any, "name": .any, "project": .any, "owner": .any, "description": .any, "hasExtracts": .any, "type": .any,
        "tags": .any, "certified": .any, "refresh": refresh, "upstreamTables": .any, "datasources": .any, "views": .any, "dashboards": .any,
        "usage": usage, "createdAt": .any, "updatedAt": .any,
    ])
    static let faults: Shape = .object([
        "latencyMs": .any, "errorRate": .any, "errorStatuses": .any, "rateLimitRate": .any, "retryAfterSeconds": .any,
        "dropRate": .any, "loseAnswerRate": .any, "pathContains": .any, "revokeSessionEvery": .any, "maxConcurrentJobsPerSite": .any,
        "failNext": .array(.object([
            "status": .any, "count": .any, "pathContains": .any, "method": .any, "retryAfterSeconds": .any, "loseAnswer": .any, "message": .any,
        ])),
    ])
    static let site: Shape = .object([
        "id": .any, "name": .any, "contentUrl": .any, "maxConcurrentJobs": .any, "refreshTimeLimitSeconds": .any, "dailyRefreshSeconds": .any,
        "users": .array(.object([
            "id": .any, "name": .any, "fullName": .any, "email": .any, "siteRole": .any, "authSetting": .any, "password": .any,
            "lastLogin": .any,
        ])),
        "connectedApps": .array(.object(["clientId": .any, "secretId": .any, "secretValue": .any, "enabled": .any])),
        "projects": .array(.object(["id": .any, "name": .any, "description": .any, "parent": .any, "owner": .any])),
        "datasources": .array(content),
        "workbooks": .array(content),
        "tables": .array(.object(["id": .any, "database": .any, "schema": .any, "name": .any, "connectionType": .any])),
        "extractRefreshTasks": .array(.object([
            "id": .any, "datasource": .any, "workbook": .any, "incremental": .any, "frequency": .any, "schedule": .any,
            "at": .any, "weekDay": .any, "suspended": .any,
        ])),
        "collections": .array(.object([
            "id": .any, "name": .any, "description": .any, "owner": .any, "visibility": .any, "items": .any,
        ])),
        "generate": .object(["workbooks": .any, "datasources": .any, "project": .any, "refresh": refresh]),
    ])
    static let root: Shape = .object([
        "server": .object(["maxApiVersion": .any, "productVersion": .any, "build": .any, "sessionMinutes": .any, "mode": .any, "jwtReuse": .any]),
        "personalAccessTokens": .array(.object(["name": .any, "secret": .any, "user": .any, "expiresInDays": .any])),
        "sites": .array(site),
        "faults": faults,
        "$comment": .any,
    ])

    /// The first unknown key in a decoded JSON value, as (place, key).
    static func unknownKey(in value: Any, shape: Shape = root, place: String = "") -> (String, String)? {
        switch shape {
        case .any:
            return nil
        case .array(let itemShape):
            guard let array = value as? [Any] else { return nil }
            for (index, item) in array.enumerated() {
                if let found = unknownKey(in: item, shape: itemShape, place: "\(place)[\(index)]") { return found }
            }
            return nil
        case .object(let keys):
            guard let object = value as? [String: Any] else { return nil }
            for key in object.keys.sorted() {
                guard let child = keys[key] else {
                    if key.hasPrefix("$") { continue }
                    return (place, key)
                }
                let childPlace = place.isEmpty ? key : "\(place).\(key)"
                if let found = unknownKey(in: object[key]!, shape: child, place: childPlace) { return found }
            }
            return nil
        }
    }
}
