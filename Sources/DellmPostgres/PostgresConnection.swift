import Glibc
import CLibPQ
import DellmSupport

/// An error from PostgreSQL or from the connection to it. `sqlState` is the five-character SQLSTATE.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Not connected, or the connection broke: retry later.
        case connection
        /// The server refused the statement (constraint, syntax, serialization failure…).
        case server
    }
    public var kind: Kind
    public var message: String
    public var sqlState: String?

    public init(_ kind: Kind, _ message: String, sqlState: String? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
    }

    /// Serialization failures and deadlocks: the transaction can simply be run again.
    public var isRetryable: Bool {
        kind == .connection || sqlState == "40001" || sqlState == "40P01"
    }

    public var description: String {
        let state = sqlState.map { " [\($0)]" } ?? ""
        return kind == .connection ? "PostgreSQL connection: \(message)" : "PostgreSQL error\(state): \(message)"
    }
}

/// The rows of a statement, as text (libpq's text format), and the number of rows it touched.
public struct PostgresRows: Sendable {
    public var columns: [String]
    public var rows: [[String?]]
    public var affected: Int

    public var first: [String?]? { rows.first }

    /// The value of `column` in row `row`, or nil for SQL NULL or an unknown column.
    public func value(_ row: Int, _ column: String) -> String? {
        guard let c = columns.firstIndex(of: column), row < rows.count else { return nil }
        return rows[row][c]
    }
}

/// A connection used synchronously, inside `PostgresConnection.withSession`: everything done with
/// it runs on the connection's own thread. Use it only inside that closure: it is valid only there.
public struct PostgresSession {
    fileprivate let conn: OpaquePointer
    fileprivate let statements: PreparedStatements

    /// Runs one statement with `$1…$n` parameters sent separately from the SQL text (never
    /// interpolated), and returns its rows. A statement with parameters is prepared once per
    /// connection and executed by name afterwards.
    @discardableResult
    public func query(_ sql: String, _ params: [String?] = []) throws -> PostgresRows {
        if params.isEmpty { return try PostgresConnection.execute(conn, sql, params) }
        let name = try statements.name(for: sql, params: params.count, conn: conn)
        return try PostgresConnection.execute(conn, sql, params, prepared: name)
    }

    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws.
    public func transaction<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try query("BEGIN")
        do {
            let result = try body(self)
            try query("COMMIT")
            return result
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }
}

/// One libpq connection. The `PGconn` is owned by this object and used only on its private
/// `BlockingThread`, one call at a time, which is why the class is `@unchecked Sendable`; libpq's
/// blocking calls therefore never run on the cooperative thread pool. A broken connection is
/// dropped and re-established on the next use.
public final class PostgresConnection: @unchecked Sendable {
    public let conninfo: String
    private let lane: BlockingThread
    // Only touched on `lane`.
    private var conn: OpaquePointer?
    // Only touched on `lane`; forgotten with the connection.
    private let statements = PreparedStatements()

    /// `url` is a libpq connection URI or key=value string (`postgresql://user:pw@host:port/db`).
    public init(url: String, name: String = "pg") {
        self.conninfo = url
        self.lane = BlockingThread(label: "dellm.pg.\(name)")
    }

    deinit {
        if let conn { PQfinish(conn) }
    }

    /// The target without credentials, for messages.
    public var endpoint: String { ConnectionURL.redact(conninfo) }

    /// Runs `body` with the connection on its own thread; a connection error inside drops the
    /// connection so the next call reconnects.
    public func withSession<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        try await lane.run { [self] in
            let c = try self.connectBlocking()
            do {
                return try body(PostgresSession(conn: c, statements: self.statements))
            } catch let e as PostgresError where e.kind == .connection {
                self.drop()
                throw e
            } catch {
                if PQstatus(c) != CONNECTION_OK { self.drop() }
                throw error
            }
        }
    }

    @discardableResult
    public func query(_ sql: String, _ params: [String?] = []) async throws -> PostgresRows {
        try await withSession { try $0.query(sql, params) }
    }

    public func close() async {
        _ = try? await lane.run { [self] in self.drop() }
    }

    // MARK: - On the lane only

    private func drop() {
        if let conn { PQfinish(conn) }
        conn = nil
        statements.forget()
    }

    private func connectBlocking() throws -> OpaquePointer {
        if let conn, PQstatus(conn) == CONNECTION_OK { return conn }
        drop()
        var info = conninfo
        if !info.contains("connect_timeout") {
            info += info.contains("://") ? (info.contains("?") ? "&" : "?") + "connect_timeout=5" : " connect_timeout=5"
        }
        guard let c = PQconnectdb(info) else {
            throw PostgresError(.connection, "cannot allocate a connection")
        }
        if PQstatus(c) != CONNECTION_OK {
            let message = String(cString: PQerrorMessage(c)).trimmingSpaces()
            PQfinish(c)
            throw PostgresError(.connection, "cannot connect to \(endpoint): \(message)")
        }
        _ = try? Self.execute(c, "SET client_min_messages TO warning", [])
        conn = c
        return c
    }

    static func execute(_ c: OpaquePointer, _ sql: String, _ params: [String?], prepared: String? = nil) throws -> PostgresRows {
        let result: OpaquePointer? = withCStrings(params) { values in
            if let prepared {
                return PQexecPrepared(c, prepared, Int32(params.count), values, nil, nil, 0)
            }
            return PQexecParams(c, sql, Int32(params.count), nil, values, nil, nil, 0)
        }
        guard let result else {
            throw PostgresError(.connection, String(cString: PQerrorMessage(c)).trimmingSpaces())
        }
        defer { PQclear(result) }
        return try rows(of: result, conn: c)
    }

    /// The rows of a result, or its error as a `PostgresError`.
    static func rows(of result: OpaquePointer, conn c: OpaquePointer) throws -> PostgresRows {
        let status = PQresultStatus(result)
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            let nrows = Int(PQntuples(result))
            let ncols = Int(PQnfields(result))
            var columns: [String] = []
            for j in 0..<ncols { columns.append(String(cString: PQfname(result, Int32(j)))) }
            var rows: [[String?]] = []
            rows.reserveCapacity(nrows)
            for i in 0..<nrows {
                var row: [String?] = []
                row.reserveCapacity(ncols)
                for j in 0..<ncols {
                    if PQgetisnull(result, Int32(i), Int32(j)) == 1 {
                        row.append(nil)
                    } else {
                        row.append(String(cString: PQgetvalue(result, Int32(i), Int32(j))))
                    }
                }
                rows.append(row)
            }
            let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
            return PostgresRows(columns: columns, rows: rows, affected: affected)
        default:
            let message = String(cString: PQresultErrorMessage(result)).trimmingSpaces()
            let statePtr = PQresultErrorField(result, Int32(UInt8(ascii: "C")))
            let state = statePtr.map { String(cString: $0) }
            if PQstatus(c) != CONNECTION_OK {
                throw PostgresError(.connection, message.isEmpty ? "connection lost" : message, sqlState: state)
            }
            // Class 08 is connection exception; 57P01..03 is the server shutting down.
            if let s = state, s.hasPrefix("08") || s.hasPrefix("57P") {
                throw PostgresError(.connection, message, sqlState: state)
            }
            throw PostgresError(.server, message, sqlState: state)
        }
    }

    private static func withCStrings<R>(_ params: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        if params.isEmpty { return body(nil) }
        let copies: [UnsafeMutablePointer<CChar>?] = params.map { p in p.map { strdup($0)! } }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

/// The statements prepared on one connection, by SQL text. Used only on the connection's lane, and
/// forgotten when the connection is dropped (a new connection has none).
final class PreparedStatements {
    private var names: [String: String] = [:]

    func name(for sql: String, params: Int, conn: OpaquePointer) throws -> String {
        if let n = names[sql] { return n }
        let name = "dellm_\(names.count + 1)"
        guard let result = PQprepare(conn, name, sql, Int32(params), nil) else {
            throw PostgresError(.connection, String(cString: PQerrorMessage(conn)).trimmingSpaces())
        }
        defer { PQclear(result) }
        _ = try PostgresConnection.rows(of: result, conn: conn)
        names[sql] = name
        return name
    }

    func forget() { names.removeAll() }
}
