extension Sequence<UInt8> {
    /// Lowercase hexadecimal, two digits per byte (hashes, signatures, key ids). Built by hand:
    /// `String(format: "%02x")` per byte costs more than the hash itself on the API's hot path.
    package var lowercaseHex: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
