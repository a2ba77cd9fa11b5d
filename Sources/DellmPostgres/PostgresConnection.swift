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
///
/// Statements whose results are not needed (`send`) wait in a queue and travel with the next
/// statement that returns rows, or with COMMIT, in one round trip (libpq's pipeline mode). They run
/// in the order given; the first error is thrown where the queue is sent.
public struct PostgresSession {
    fileprivate let conn: OpaquePointer
    fileprivate let statements: PreparedStatements
    fileprivate let queue = StatementQueue()

    /// Runs one statement with `$1…$n` parameters sent separately from the SQL text (never
    /// interpolated), and returns its rows. A statement with parameters is prepared once per
    /// connection and executed by name afterwards. Statements queued by `send` go first, in the same
    /// round trip.
    @discardableResult
    public func query(_ sql: String, _ params: [String?] = []) throws -> PostgresRows {
        try queries([(sql, params)])[0]
    }

    /// Runs statements in order, in one round trip, and returns the rows of each. Use it for
    /// statements that do not depend on each other's results; in a transaction, a failing one
    /// fails the transaction, as it would one at a time.
    public func queries(_ batch: [(String, [String?])]) throws -> [PostgresRows] {
        let all = queue.take() + batch
        if all.count == 1 {
            let (sql, params) = all[0]
            if params.isEmpty { return [try PostgresConnection.execute(conn, sql, params)] }
            return [try PostgresConnection.execute(conn, sql, params, prepared: try statements.name(for: sql, params: params.count, conn: conn))]
        }
        let rows = try PostgresConnection.pipeline(conn, all, statements: statements)
        return Array(rows.suffix(batch.count))
    }

    /// Queues a statement whose result is not needed: it is sent with the next `query`, or with
    /// COMMIT at the end of the transaction.
    public func send(_ sql: String, _ params: [String?] = []) {
        queue.append(sql, params)
    }

    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws. BEGIN travels
    /// with the first statement, and what is still queued with COMMIT. A body may end with its own
    /// COMMIT in its last batch (to read a final result in the same round trip): then nothing is left
    /// to commit.
    public func transaction<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        send("BEGIN")
        do {
            let result = try body(self)
            if PQtransactionStatus(conn) != PQTRANS_IDLE || queue.count > 0 { try query("COMMIT") }
            return result
        } catch {
            _ = queue.take()
            if PQtransactionStatus(conn) != PQTRANS_IDLE { _ = try? PostgresConnection.execute(conn, "ROLLBACK", []) }
            throw error
        }
    }
}

/// The statements a session holds back until the next round trip. Used only on the session's lane.
final class StatementQueue {
    private var items: [(String, [String?])] = []
    var count: Int { items.count }
    func append(_ sql: String, _ params: [String?]) { items.append((sql, params)) }
    func take() -> [(String, [String?])] {
        defer { items.removeAll(keepingCapacity: true) }
        return items
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
        try refuseNUL(params)
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

    /// Sends `batch` in one round trip (pipeline mode) and returns each statement's rows; throws the
    /// first statement's error after reading every result, so the connection stays usable.
    static func pipeline(_ c: OpaquePointer, _ batch: [(String, [String?])], statements: PreparedStatements) throws -> [PostgresRows] {
        for (_, params) in batch { try refuseNUL(params) }
        // Preparing is a round trip of its own, once per connection and statement: done before the batch.
        let names = try batch.map { sql, params in params.isEmpty ? nil : try statements.name(for: sql, params: params.count, conn: c) }
        guard PQenterPipelineMode(c) == 1 else {
            throw PostgresError(.connection, "cannot enter pipeline mode: \(String(cString: PQerrorMessage(c)).trimmingSpaces())")
        }
        for (i, (sql, params)) in batch.enumerated() {
            let sent: Int32 = withCStrings(params) { values in
                if let name = names[i] { return PQsendQueryPrepared(c, name, Int32(params.count), values, nil, nil, 0) }
                return PQsendQueryParams(c, sql, 0, nil, nil, nil, nil, 0)
            }
            if sent != 1 { try abandon(c) }
        }
        if PQpipelineSync(c) != 1 { try abandon(c) }
        // Each statement's result is followed by a null; the batch ends with the sync's result.
        var out: [Result<PostgresRows, Error>?] = Array(repeating: nil, count: batch.count)
        var index = 0
        var nulls = 0
        while true {
            guard let r = PQgetResult(c) else {
                nulls += 1
                if nulls > 1 { try abandon(c) } // two nulls in a row: the connection is gone
                index += 1
                continue
            }
            nulls = 0
            defer { PQclear(r) }
            let status = PQresultStatus(r)
            if status == PGRES_PIPELINE_SYNC { break }
            if index < batch.count, out[index] == nil {
                out[index] = status == PGRES_PIPELINE_ABORTED
                    ? .failure(PostgresError(.server, "not run: an earlier statement of the batch failed"))
                    : Result { try rows(of: r, conn: c) }
            }
        }
        guard PQexitPipelineMode(c) == 1 else { try abandon(c) }
        // In order, so the first failure thrown is the cause; the aborted ones after it only follow from it.
        return try out.map { guard let r = $0 else { throw PostgresError(.connection, "a statement of the batch had no result") }; return try r.get() }
    }

    /// A batch that could not be sent or read completely: the connection's state is unknown, so it is
    /// reported as broken (the caller drops it and reconnects).
    private static func abandon(_ c: OpaquePointer) throws -> Never {
        let message = String(cString: PQerrorMessage(c)).trimmingSpaces()
        throw PostgresError(.connection, message.isEmpty ? "the connection broke during a batch" : message)
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

    /// libpq passes parameters as C strings, which end at the first NUL: "id\0x" would reach the
    /// server as "id". Such a parameter is refused (PostgreSQL text cannot hold NUL either), never cut.
    static func refuseNUL(_ params: [String?]) throws {
        for (i, p) in params.enumerated() where p?.utf8.contains(0) == true {
            throw PostgresError(.server, "parameter $\(i + 1) contains a NUL character, which PostgreSQL text cannot hold", sqlState: "22021")
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
