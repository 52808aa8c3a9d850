import Crypto
package import Foundation

/// Why a signed access event was rejected. Descriptions never contain the secret or the
/// expected signature.
package enum SignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingTimestamp
    case missingSignature
    case malformedTimestamp
    case malformedSignature
    /// The timestamp is older than the allowed age (a replay or a very late delivery).
    case expired(ageSeconds: Int)
    /// The timestamp is further in the future than the allowed clock skew.
    case fromTheFuture(aheadSeconds: Int)
    /// The signature does not match the body, timestamp and shared secret.
    case mismatch

    package var description: String {
        switch self {
        case .missingTimestamp: "The \(AccessEventSignature.timestampHeader) header is missing"
        case .missingSignature: "The \(AccessEventSignature.signatureHeader) header is missing"
        case .malformedTimestamp: "The \(AccessEventSignature.timestampHeader) header must be Unix time in whole seconds"
        case .malformedSignature: "The \(AccessEventSignature.signatureHeader) header must be sha256=<64 hex digits>"
        case .expired(let age): "The event's timestamp is \(age) seconds old; events older than 5 minutes are rejected as replays"
        case .fromTheFuture(let ahead): "The event's timestamp is \(ahead) seconds in the future; check the sender's clock"
        case .mismatch: "The event's signature does not match its body and timestamp"
        }
    }
}

/// HMAC-SHA256 signatures of access-event bodies with a shared secret.
///
/// The sender signs `"<timestamp>.<body>"` (timestamp = Unix seconds, as sent in
/// `X-Freshet-Timestamp`; body = the exact request bytes) and sends
/// `X-Freshet-Signature: sha256=<lower-case hex HMAC>`. Freshet rejects timestamps older than
/// ``maxAge`` or more than ``maxFutureSkew`` ahead of its clock, and compares in constant time.
package enum AccessEventSignature {
    package static let timestampHeader = "X-Freshet-Timestamp"
    package static let signatureHeader = "X-Freshet-Signature"
    /// Oldest accepted timestamp: 5 minutes.
    package static let maxAge: TimeInterval = 300
    /// Furthest accepted timestamp ahead of Freshet's clock.
    package static let maxFutureSkew: TimeInterval = 60
    /// What every signature header value starts with.
    package static let signaturePrefix = "sha256="
    /// Shortest shared secret accepted.
    package static let minimumSecretLength = 16

    /// The `X-Freshet-Signature` value for `body` sent at `timestamp` (Unix seconds).
    package static func sign(body: some Sequence<UInt8>, timestamp: Int, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: message(body: body, timestamp: String(timestamp)), using: key(secret))
        return "sha256=" + mac.lowercaseHex
    }

    /// Checks the headers of a delivery against its exact body; throws ``SignatureError``.
    /// `now` is injected so callers (and tests) control the clock.
    package static func verify(
        body: some Sequence<UInt8>, timestamp: String?, signature: String?, secret: String, now: Date,
        maxAge: TimeInterval = AccessEventSignature.maxAge, maxFutureSkew: TimeInterval = AccessEventSignature.maxFutureSkew
    ) throws(SignatureError) {
        guard let timestamp = timestamp?.trimmingCharacters(in: .whitespaces), !timestamp.isEmpty else { throw .missingTimestamp }
        guard let signature = signature?.trimmingCharacters(in: .whitespaces), !signature.isEmpty else { throw .missingSignature }
        guard timestamp.count <= 12, timestamp.allSatisfy(\.isASCII), let seconds = Int(timestamp), seconds >= 0 else {
            throw .malformedTimestamp
        }
        // Exactly as documented: `sha256=` and 64 lower-case hex digits, nothing else.
        guard signature.hasPrefix(signaturePrefix), signature.utf8.count == signaturePrefix.utf8.count + 2 * SHA256.byteCount,
            signature.utf8.dropFirst(signaturePrefix.utf8.count).allSatisfy({ nibble($0) != nil && !(UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }),
            let given = hexBytes(String(signature.dropFirst(signaturePrefix.count)))
        else { throw .malformedSignature }
        let age = now.timeIntervalSince1970 - TimeInterval(seconds)
        if age > maxAge { throw .expired(ageSeconds: Int(age)) }
        if -age > maxFutureSkew { throw .fromTheFuture(aheadSeconds: Int(-age)) }
        // swift-crypto compares authentication codes in constant time.
        guard HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: message(body: body, timestamp: timestamp), using: key(secret))
        else { throw .mismatch }
    }

    static func key(_ secret: String) -> SymmetricKey { SymmetricKey(data: Data(secret.utf8)) }

    static func message(body: some Sequence<UInt8>, timestamp: String) -> Data {
        var data = Data(timestamp.utf8)
        data.append(UInt8(ascii: "."))
        data.append(contentsOf: body)
        return data
    }

    static func hexBytes(_ hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
