/// Typed reading of libpq's text format, by column name (postgres-nio's `decode` is the model): a value
/// that is NULL where one is required, or not of the type asked for, throws an error that names the
/// column — one bad row fails the job that read it, never the process.

/// A value that can be read from PostgreSQL's text format.
public protocol PostgresTextDecodable {
    init?(postgresText: String)
}

extension String: PostgresTextDecodable {
    public init?(postgresText: String) { self = postgresText }
}

extension Int: PostgresTextDecodable {
    public init?(postgresText: String) { self.init(postgresText) }
}

extension Double: PostgresTextDecodable {
    /// Also numeric's text ("12.5000") and double precision's ("1e+30", "NaN").
    public init?(postgresText: String) { self.init(postgresText) }
}

extension Bool: PostgresTextDecodable {
    /// boolean's text format: `t` or `f`.
    public init?(postgresText: String) {
        switch postgresText {
        case "t": self = true
        case "f": self = false
        default: return nil
        }
    }
}

/// Enums stored by their raw text (statuses, modes, task types) read as themselves.
extension PostgresTextDecodable where Self: RawRepresentable, RawValue == String {
    public init?(postgresText: String) { self.init(rawValue: postgresText) }
}

/// A row value PostgreSQL gave that the code could not read: which column, what was expected, what came.
public struct PostgresDecodingError: Error, CustomStringConvertible, Sendable, Equatable {
    public var column: String
    public var expected: String
    /// The text received, cut to 40 characters; nil for NULL.
    public var value: String?

    public init(column: String, expected: String, value: String?) {
        self.column = column
        self.expected = expected
        self.value = value
    }

    public var description: String {
        guard let value else { return "column '\(column)' is NULL where \(expected) is required" }
        return "column '\(column)' holds '\(value)', not \(expected)"
    }
}

/// One row of a result, read by column name.
public struct PostgresRow: Sendable {
    public let columns: [String]
    public let values: [String?]

    public init(columns: [String], values: [String?]) {
        self.columns = columns
        self.values = values
    }

    /// The raw text of `column` (nil: NULL). An unknown column is a programming error in the statement
    /// that names it, reported like a bad value.
    public func text(_ column: String) throws(PostgresDecodingError) -> String? {
        guard let i = columns.firstIndex(of: column), i < values.count else {
            throw PostgresDecodingError(column: column, expected: "a column of the result", value: "(absent)")
        }
        return values[i]
    }

    /// A required value: NULL or an unreadable text throws.
    public func decode<T: PostgresTextDecodable>(_ column: String, as _: T.Type = T.self) throws(PostgresDecodingError) -> T {
        guard let text = try self.text(column) else {
            throw PostgresDecodingError(column: column, expected: "\(T.self)", value: nil)
        }
        guard let v = T(postgresText: text) else {
            throw PostgresDecodingError(column: column, expected: "\(T.self)", value: String(text.prefix(40)))
        }
        return v
    }

    /// A nullable value: NULL is nil, an unreadable text throws.
    public func decode<T: PostgresTextDecodable>(_ column: String, as _: T?.Type) throws(PostgresDecodingError) -> T? {
        guard let text = try self.text(column) else { return nil }
        guard let v = T(postgresText: text) else {
            throw PostgresDecodingError(column: column, expected: "\(T.self)", value: String(text.prefix(40)))
        }
        return v
    }
}

extension PostgresRows {
    /// The rows, each read by column name.
    public var records: [PostgresRow] { rows.map { PostgresRow(columns: columns, values: $0) } }

    /// The first row, if any.
    public var firstRecord: PostgresRow? { rows.first.map { PostgresRow(columns: columns, values: $0) } }
}

/// A value sent as a statement parameter, in PostgreSQL's text format: the encoding side of
/// `PostgresTextDecodable` (booleans as `t`/`f`, numbers as Swift prints them, NULL as nil).
public protocol PostgresBindable: Sendable {
    var postgresText: String? { get }
}

extension String: PostgresBindable {
    public var postgresText: String? { self }
}

extension Int: PostgresBindable {
    public var postgresText: String? { String(self) }
}

extension Double: PostgresBindable {
    public var postgresText: String? { String(self) }
}

extension Bool: PostgresBindable {
    public var postgresText: String? { self ? "t" : "f" }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public var postgresText: String? { self?.postgresText }
}

/// Enums stored by their raw text bind as it.
extension PostgresBindable where Self: RawRepresentable, RawValue == String {
    public var postgresText: String? { rawValue }
}

/// Statement parameters from typed values, in order ($1, $2, …).
public func bind(_ values: any PostgresBindable...) -> [String?] {
    values.map(\.postgresText)
}
