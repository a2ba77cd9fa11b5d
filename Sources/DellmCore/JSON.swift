/// JSON for the wire jobs, read and written by hand.
///
/// Every stage of the pipeline decodes one job and encodes the next; through Foundation's
/// JSONDecoder/JSONEncoder that was a third of a worker's CPU per query (generic Codable machinery
/// and its metadata look-ups for five flat structs). The jobs are flat objects of strings, integers,
/// booleans and string arrays, so a small strict parser (RFC 8259) and writer do it directly. The
/// writer's output is what JSONEncoder writes with `.sortedKeys` and `.withoutEscapingSlashes`.
public enum JSONValue: Sendable, Equatable {
    case string(String)
    /// The number's text as written (validated against the JSON grammar).
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses one JSON text; nil when it is not valid JSON (or nests deeper than 64 levels).
    public static func parse(_ text: String) -> JSONValue? {
        var text = text
        return text.withUTF8 { bytes in
            var p = JSONParser(bytes: bytes)
            guard let v = p.value() else { return nil }
            p.skipWhitespace()
            return p.at == bytes.count ? v : nil
        }
    }

    /// Members written in the order given (`members` sorts them): what the wire types write.
    case members([JSONMember])

    /// The value as JSON text, object keys sorted.
    public var serialized: String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func write(into out: inout [UInt8]) {
        switch self {
        case .string(let s): JSONValue.writeString(s, into: &out)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                v.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            JSONValue.members(o.map { ($0.key, $0.value) }).write(into: &out)
        case .members(let m):
            out.append(UInt8(ascii: "{"))
            for (i, member) in m.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// One member of an object written in order.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue
}

/// A strict recursive-descent JSON parser over UTF-8 bytes.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func skipWhitespace() {
        while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
    }

    mutating func value() -> JSONValue? {
        skipWhitespace()
        guard at < bytes.count else { return nil }
        switch bytes[at] {
        case UInt8(ascii: "{"): return object()
        case UInt8(ascii: "["): return array()
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return number()
        }
    }

    mutating func literal(_ word: StaticString, _ v: JSONValue) -> JSONValue? {
        let n = word.utf8CodeUnitCount
        guard at + n <= bytes.count else { return nil }
        for k in 0..<n where bytes[at + k] != word.utf8Start[k] { return nil }
        at += n
        return v
    }

    mutating func object() -> JSONValue? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 64 else { return nil }
        at += 1
        var o: [String: JSONValue] = [:]
        skipWhitespace()
        if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(o) }
        while true {
            skipWhitespace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\""), let key = string() else { return nil }
            skipWhitespace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { return nil }
            at += 1
            guard let v = value() else { return nil }
            o[key] = v
            skipWhitespace()
            guard at < bytes.count else { return nil }
            if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
            if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(o) }
            return nil
        }
    }

    mutating func array() -> JSONValue? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 64 else { return nil }
        at += 1
        var a: [JSONValue] = []
        skipWhitespace()
        if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(a) }
        while true {
            guard let v = value() else { return nil }
            a.append(v)
            skipWhitespace()
            guard at < bytes.count else { return nil }
            if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
            if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(a) }
            return nil
        }
    }

    /// A string starting at the opening quote.
    mutating func string() -> String? {
        at += 1
        let start = at
        // Fast path: no escapes.
        while at < bytes.count {
            let b = bytes[at]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
                at += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { return nil }
            at += 1
        }
        guard at < bytes.count else { return nil }
        var out = Array(bytes[start..<at])
        while at < bytes.count {
            let b = bytes[at]
            if b == UInt8(ascii: "\"") {
                at += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { return nil }
            if b != UInt8(ascii: "\\") {
                out.append(b)
                at += 1
                continue
            }
            at += 1
            guard at < bytes.count else { return nil }
            let e = bytes[at]
            at += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var code = hex4() else { return nil }
                if code >= 0xD800 && code < 0xDC00 {
                    // A high surrogate must be followed by an escaped low one.
                    guard at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else { return nil }
                    at += 2
                    guard let low = hex4(), low >= 0xDC00 && low < 0xE000 else { return nil }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if code >= 0xDC00 && code < 0xE000 {
                    return nil
                }
                guard let scalar = Unicode.Scalar(code) else { return nil }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                return nil
            }
        }
        return nil
    }

    mutating func hex4() -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[at]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
            at += 1
        }
        return v
    }

    /// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    mutating func number() -> JSONValue? {
        let start = at
        func digit() -> Bool { at < bytes.count && bytes[at] >= UInt8(ascii: "0") && bytes[at] <= UInt8(ascii: "9") }
        if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
        guard digit() else { return nil }
        if bytes[at] == UInt8(ascii: "0") { at += 1 } else { while digit() { at += 1 } }
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
            at += 1
            guard digit() else { return nil }
            while digit() { at += 1 }
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
            at += 1
            if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard digit() else { return nil }
            while digit() { at += 1 }
        }
        return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self))
    }
}

/// The fields of a decoded job object, read with the wire's error messages.
public struct JSONFields {
    let object: [String: JSONValue]

    init(object: [String: JSONValue]) { self.object = object }

    public init(_ text: String) throws(Wire.DecodeError) {
        guard let v = JSONValue.parse(text) else { throw Wire.DecodeError("malformed JSON in 'job'") }
        guard case .object(let o) = v else { throw Wire.DecodeError("job has a wrong type at ''") }
        object = o
    }

    func present(_ key: String) throws(Wire.DecodeError) -> JSONValue {
        guard let v = object[key] else { throw Wire.DecodeError("job is missing '\(key)'") }
        if case .null = v { throw Wire.DecodeError("job has null at '\(key)'") }
        return v
    }

    func optional(_ key: String) -> JSONValue? {
        guard let v = object[key] else { return nil }
        if case .null = v { return nil }
        return v
    }

    static func wrongType(_ path: String) -> Wire.DecodeError { Wire.DecodeError("job has a wrong type at '\(path)'") }

    /// A NUL in a job's text is refused, never cut: C strings (libpq's parameters) end at it, so
    /// "victim\0x" would name the victim.
    static func refuseNUL(_ s: String, _ path: String) throws(Wire.DecodeError) -> String {
        if s.utf8.contains(0) { throw Wire.DecodeError("job has a NUL character at '\(path)'") }
        return s
    }

    public func string(_ key: String) throws(Wire.DecodeError) -> String {
        guard case .string(let s) = try present(key) else { throw Self.wrongType(key) }
        return try Self.refuseNUL(s, key)
    }

    public func optionalString(_ key: String) throws(Wire.DecodeError) -> String? {
        guard let v = optional(key) else { return nil }
        guard case .string(let s) = v else { throw Self.wrongType(key) }
        return try Self.refuseNUL(s, key)
    }

    public func int(_ key: String) throws(Wire.DecodeError) -> Int {
        guard case .number(let n) = try present(key), let i = Self.integer(n) else { throw Self.wrongType(key) }
        return i
    }

    public func optionalInt(_ key: String) throws(Wire.DecodeError) -> Int? {
        guard let v = optional(key) else { return nil }
        guard case .number(let n) = v, let i = Self.integer(n) else { throw Self.wrongType(key) }
        return i
    }

    public func optionalBool(_ key: String) throws(Wire.DecodeError) -> Bool? {
        guard let v = optional(key) else { return nil }
        guard case .bool(let b) = v else { throw Self.wrongType(key) }
        return b
    }

    public func optionalStrings(_ key: String) throws(Wire.DecodeError) -> [String]? {
        guard let v = optional(key) else { return nil }
        guard case .array(let a) = v else { throw Self.wrongType(key) }
        var out: [String] = []
        for (i, e) in a.enumerated() {
            guard case .string(let s) = e else { throw Self.wrongType("\(key).Index \(i)") }
            out.append(try Self.refuseNUL(s, "\(key).Index \(i)"))
        }
        return out
    }

    public func double(_ key: String) throws(Wire.DecodeError) -> Double {
        guard case .number(let n) = try present(key), let d = Double(n), d.isFinite else { throw Self.wrongType(key) }
        return d
    }

    public func strings(_ key: String) throws(Wire.DecodeError) -> [String] {
        guard let a = try optionalStrings(key) else { throw Wire.DecodeError("job is missing '\(key)'") }
        return a
    }

    public func doubles(_ key: String) throws(Wire.DecodeError) -> [Double] {
        guard case .array(let a) = try present(key) else { throw Self.wrongType(key) }
        var out: [Double] = []
        for (i, e) in a.enumerated() {
            guard case .number(let n) = e, let d = Double(n), d.isFinite else { throw Self.wrongType("\(key).Index \(i)") }
            out.append(d)
        }
        return out
    }

    /// A nested object (its errors name the outer key), or nil when absent.
    public func optionalObject(_ key: String) throws(Wire.DecodeError) -> JSONFields? {
        guard let v = optional(key) else { return nil }
        guard case .object(let o) = v else { throw Self.wrongType(key) }
        return JSONFields(object: o)
    }

    public func object(_ key: String) throws(Wire.DecodeError) -> JSONFields {
        guard let f = try optionalObject(key) else { throw Wire.DecodeError("job is missing '\(key)'") }
        return f
    }

    /// Each element of an array of objects.
    public func objects(_ key: String) throws(Wire.DecodeError) -> [JSONFields] {
        guard case .array(let a) = try present(key) else { throw Self.wrongType(key) }
        var out: [JSONFields] = []
        for (i, e) in a.enumerated() {
            guard case .object(let o) = e else { throw Self.wrongType("\(key).Index \(i)") }
            out.append(JSONFields(object: o))
        }
        return out
    }

    /// An integer written as one (`3`, also `3.0` or `3e0`, as JSONDecoder accepts them).
    static func integer(_ n: String) -> Int? {
        if let i = Int(n) { return i }
        guard let d = Double(n), d.rounded() == d, abs(d) < 9.0e15 else { return nil }
        return Int(d)
    }
}

/// A job with a hand-written JSON form (see `JSONValue`).
public protocol WireJSON: Codable {
    init(fields: JSONFields) throws(Wire.DecodeError)
    var json: JSONValue { get }
}

extension JSONValue {
    /// An object without the nil members (as JSONEncoder leaves nil optionals out).
    public static func members(_ pairs: [(String, JSONValue?)]) -> JSONValue {
        .members(pairs.compactMap { k, v in v.map { JSONMember(key: k, value: $0) } }.sorted { $0.key < $1.key })
    }

    public static func int(_ i: Int) -> JSONValue { .number(String(i)) }
}
