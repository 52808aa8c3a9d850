import Foundation

// freshet-embed INPUT OUTPUT: writes OUTPUT, a Swift file whose `OpenAPIDocument.yaml` holds
// the exact text of INPUT (used by the EmbedOpenAPI build plugin).
let arguments = CommandLine.arguments
guard arguments.count == 3, let text = try? String(contentsOfFile: arguments[1], encoding: .utf8) else {
    FileHandle.standardError.write(Data("usage: freshet-embed INPUT.yaml OUTPUT.swift\n".utf8))
    exit(2)
}
var literal = ""
for scalar in text.unicodeScalars {
    switch scalar {
    case "\\": literal += "\\\\"
    case "\"": literal += "\\\""
    case "\n": literal += "\\n"
    case "\r": literal += "\\r"
    case "\t": literal += "\\t"
    default:
        if scalar.value < 0x20 { literal += "\\u{\(String(scalar.value, radix: 16))}" } else { literal.unicodeScalars.append(scalar) }
    }
}
let source = """
    // Generated from openapi.yaml by the EmbedOpenAPI build plugin; do not edit.
    extension OpenAPIDocument {
        /// The text of the target's openapi.yaml.
        public static let yaml = "\(literal)"
    }

    """
do {
    try source.write(toFile: arguments[2], atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("freshet-embed: cannot write \(arguments[2]): \(error)\n".utf8))
    exit(1)
}
