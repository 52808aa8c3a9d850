import Foundation
import Freshet
import Testing

/// HMAC-SHA256 signatures of access-event bodies, with an injected clock.
@Suite struct AccessSignatureTests {
    let secret = "a-shared-secret-of-some-length"
    let body = Array(#"{"eventId":"e-1","type":"granted","connection":"prod","user":"ana","role":"Viewer"}"#.utf8)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aFreshCorrectSignatureIsAccepted() throws {
        let signature = AccessEventSignature.sign(body: body, timestamp: 1_800_000_000, secret: secret)
        #expect(signature.hasPrefix("sha256=") && signature.count == 71)
        try AccessEventSignature.verify(body: body, timestamp: "1800000000", signature: signature, secret: secret, now: now)
        try AccessEventSignature.verify(body: body, timestamp: "1799999760", signature: AccessEventSignature.sign(body: body, timestamp: 1_799_999_760, secret: secret), secret: secret, now: now)
    }

    @Test func aKnownVectorMatchesOpenSSL() {
        // printf '%s' '1700000000.{}' | openssl dgst -sha256 -hmac 'key-key-key-key-'
        #expect(AccessEventSignature.sign(body: Array("{}".utf8), timestamp: 1_700_000_000, secret: "key-key-key-key-") == "sha256=" + Self.vector)
    }

    static let vector = "bc5b52c746fa74b8671a1a465c7dbd734b96d2e9f87bdc53b1f5b95707d1fca0"

    @Test func aBadSignatureIsRejected() throws {
        let good = AccessEventSignature.sign(body: body, timestamp: 1_800_000_000, secret: secret)
        let wrongSecret = AccessEventSignature.sign(body: body, timestamp: 1_800_000_000, secret: secret + "x")
        #expect(throws: SignatureError.mismatch) {
            try AccessEventSignature.verify(body: body, timestamp: "1800000000", signature: wrongSecret, secret: secret, now: now)
        }
        #expect(throws: SignatureError.mismatch) {
            try AccessEventSignature.verify(body: body + [32], timestamp: "1800000000", signature: good, secret: secret, now: now)
        }
        // The timestamp is signed too: moving it breaks the signature.
        #expect(throws: SignatureError.mismatch) {
            try AccessEventSignature.verify(body: body, timestamp: "1800000001", signature: good, secret: secret, now: now)
        }
        #expect(throws: SignatureError.malformedSignature) {
            try AccessEventSignature.verify(body: body, timestamp: "1800000000", signature: "sha256=zz", secret: secret, now: now)
        }
        #expect(throws: SignatureError.missingSignature) {
            try AccessEventSignature.verify(body: body, timestamp: "1800000000", signature: nil, secret: secret, now: now)
        }
        #expect(throws: SignatureError.missingTimestamp) {
            try AccessEventSignature.verify(body: body, timestamp: nil, signature: good, secret: secret, now: now)
        }
        #expect(throws: SignatureError.malformedTimestamp) {
            try AccessEventSignature.verify(body: body, timestamp: "2027-01-01", signature: good, secret: secret, now: now)
        }
    }

    /// Issue 19: the header must carry the documented `sha256=` prefix and lower-case hex.
    @Test func onlyTheDocumentedHeaderFormatIsAccepted() {
        let good = AccessEventSignature.sign(body: body, timestamp: 1_800_000_000, secret: secret)
        let hex = String(good.dropFirst(7))
        for variant in [hex, "SHA256=" + hex, "sha256:" + hex, "sha256=" + hex.uppercased(), "sha1=" + hex, good + "00"] {
            #expect(throws: SignatureError.malformedSignature, "\(variant)") {
                try AccessEventSignature.verify(body: body, timestamp: "1800000000", signature: variant, secret: secret, now: now)
            }
        }
    }

    @Test func aReplayedOldTimestampIsRejected() {
        let old = 1_800_000_000 - 301
        let signature = AccessEventSignature.sign(body: body, timestamp: old, secret: secret)
        #expect(throws: SignatureError.expired(ageSeconds: 301)) {
            try AccessEventSignature.verify(body: body, timestamp: String(old), signature: signature, secret: secret, now: now)
        }
    }

    @Test func aFutureTimestampIsRejected() {
        let ahead = 1_800_000_000 + 61
        let signature = AccessEventSignature.sign(body: body, timestamp: ahead, secret: secret)
        #expect(throws: SignatureError.fromTheFuture(aheadSeconds: 61)) {
            try AccessEventSignature.verify(body: body, timestamp: String(ahead), signature: signature, secret: secret, now: now)
        }
    }

    @Test func errorsNeverShowTheSecretOrTheExpectedSignature() {
        let good = AccessEventSignature.sign(body: body, timestamp: 1_800_000_000, secret: secret)
        do {
            try AccessEventSignature.verify(body: body, timestamp: "1800000000", signature: "sha256=" + String(repeating: "0", count: 64), secret: secret, now: now)
        } catch {
            #expect(!error.description.contains(secret) && !error.description.contains(good.dropFirst(7)))
        }
    }
}
