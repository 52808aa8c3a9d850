import Foundation

/// Where a secret is kept when Freshet does not keep it: the reference is stored as written
/// (it is not a secret) and read when a sign-in needs the value.
///
/// - `env:NAME` — the environment variable `NAME` of the Freshet process;
/// - `file:PATH` — a file (absolute path) such as a mounted Kubernetes secret, rotated in place;
/// - `exec:COMMAND ARGS…` — a command run without a shell whose standard output is the secret
///   (a secrets manager's CLI); arguments are split on spaces, and `'…'` or `"…"` keep spaces.
package enum SecretReference: Sendable, Hashable, CustomStringConvertible {
    case environment(String)
    case file(String)
    case exec(command: String, arguments: [String])

    /// Whether `text` is written as a reference (starts with `env:`, `file:` or `exec:`).
    package static func looksLikeReference(_ text: String) -> Bool {
        ["env:", "file:", "exec:"].contains { text.hasPrefix($0) }
    }

    /// Parses a reference, or says what is wrong with it.
    package init(parsing raw: String) throws(ValidationError) {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        // No name, path or argument can hold NUL (C strings), and the database would cut it there.
        guard !text.unicodeScalars.contains("\0") else {
            throw ValidationError("A secret reference cannot contain NUL characters", field: "secretRef")
        }
        if text.hasPrefix("env:") {
            let name = String(text.dropFirst(4))
            guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)),
                name.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) })
            else {
                throw ValidationError("env: needs an environment variable name such as env:TABLEAU_PAT_SECRET", field: "secretRef")
            }
            self = .environment(name)
        } else if text.hasPrefix("file:") {
            let path = String(text.dropFirst(5))
            guard path.hasPrefix("/") else {
                throw ValidationError("file: needs an absolute path such as file:/run/secrets/tableau-pat", field: "secretRef")
            }
            self = .file(path)
        } else if text.hasPrefix("exec:") {
            let words = try Self.split(String(text.dropFirst(5)))
            guard let command = words.first else {
                throw ValidationError("exec: needs a command such as exec:/usr/local/bin/vault kv get -field=secret tableau/pat", field: "secretRef")
            }
            self = .exec(command: command, arguments: Array(words.dropFirst()))
        } else {
            throw ValidationError("A secret reference starts with env:, file: or exec:", field: "secretRef")
        }
    }

    /// The reference as written (normalised): what `connection show` prints.
    package var description: String {
        switch self {
        case .environment(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        case .exec(let command, let arguments): "exec:" + ([command] + arguments).map(Self.quoted).joined(separator: " ")
        }
    }

    /// The kind as people read it in errors: "environment variable TABLEAU_PAT".
    package var place: String {
        switch self {
        case .environment(let name): "environment variable \(name)"
        case .file(let path): "file \(path)"
        case .exec(let command, _): "helper command \(command)"
        }
    }

    /// Splits a command line on spaces; single or double quotes keep spaces inside a word.
    static func split(_ line: String) throws(ValidationError) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { word.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(character)
                inWord = true
            }
        }
        guard quote == nil else { throw ValidationError("exec: has an unclosed quote", field: "secretRef") }
        if inWord { words.append(word) }
        return words
    }

    private static func quoted(_ word: String) -> String {
        guard word.isEmpty || word.contains(where: { $0.isWhitespace || $0 == "'" || $0 == "\"" }) else { return word }
        if !word.contains("'") { return "'\(word)'" }
        if !word.contains("\"") { return "\"\(word)\"" }
        // Both kinds of quote: single-quoted runs with each ' double-quoted between them
        // (adjacent quoted groups make one word), so the description parses back.
        return word.split(separator: "'", omittingEmptySubsequences: false).map { "'\($0)'" }.joined(separator: "\"'\"")
    }
}

extension SecretReference: Codable {
    /// Encoded as written (`"env:NAME"`).
    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try SecretReference(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
