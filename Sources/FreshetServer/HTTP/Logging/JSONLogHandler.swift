import Foundation
package import Logging

/// Writes one JSON object per line to standard error: `time`, `level`, `label`, `message` and
/// the metadata as strings (`freshet serve --log-format json`). Freshet never puts secrets in
/// log metadata.
package struct JSONLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?
    package var logLevel: Logger.Level = .info
    let label: String

    package init(label: String, level: Logger.Level = .info) {
        self.label = label
        self.logLevel = level
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        FileHandle.standardError.write(Self.line(event, label: label, metadata: merged(event.metadata)))
    }

    func merged(_ extra: Logger.Metadata?) -> Logger.Metadata {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let extra { all.merge(extra) { _, new in new } }
        return all
    }

    /// One log line as JSON, ending in a newline.
    static func line(_ event: LogEvent, label: String, metadata: Logger.Metadata, time: Date = Date()) -> Data {
        var object: [String: String] = [:]
        for (key, value) in metadata { object[key] = "\(value)" }
        object["time"] = time.ISO8601Format(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        object["level"] = event.level.rawValue
        object["label"] = label
        object["message"] = "\(event.message)"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(object)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }
}
