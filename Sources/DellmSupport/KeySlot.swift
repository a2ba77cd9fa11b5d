/// Redis Cluster's slot of a key, as a pure function (shared by the connection, which routes by it,
/// and by the key layout, which chooses hash tags by it).
public enum KeySlot {
    public static let count = 16_384

    /// The slot of a key: of its hash tag when it has one ("{dellm}:queries" and "{dellm}:verify"
    /// share a slot), else of the whole key.
    public static func slot(of key: String) -> Int {
        let bytes = Array(key.utf8)
        if let open = bytes.firstIndex(of: UInt8(ascii: "{")),
           let close = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1 {
            return Int(crc16(bytes[(open + 1)..<close]) % UInt16(count))
        }
        return Int(crc16(bytes[...]) % UInt16(count))
    }

    /// CRC16-CCITT (XMODEM), as Redis Cluster uses it: crc16("123456789") == 0x31C3.
    public static func crc16(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for b in bytes {
            crc ^= UInt16(b) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        }
        return crc
    }
}
