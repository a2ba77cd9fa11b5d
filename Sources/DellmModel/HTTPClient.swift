import CCurl
import DellmSupport
import Foundation

/// A response: status code and body bytes.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A failed HTTP exchange (no response at all). A response with a 4xx/5xx status is not an error here.
public struct HTTPError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable { case timeout, connect, transport, tooLarge }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}

/// HTTP over libcurl's easy interface. Easy handles are reused (with their connection cache, so a
/// keep-alive connection to the model server is used again): each lives in a pool, is checked out by
/// one request at a time, and is touched only on its own `BlockingThread`, so no handle is ever shared
/// and `curl_easy_perform` blocks that thread, never the cooperative pool. The pool grows to the
/// number of requests in flight at once (the model endpoint bounds it).
public struct HTTPClient: Sendable {
    public var maxResponseBytes: Int
    let handles = CurlHandlePool()

    public init(maxResponseBytes: Int = 8 << 20) {
        self.maxResponseBytes = maxResponseBytes
        _ = HTTPClient.globalInit
    }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    /// Easy handles made so far (a handle is made only when every other one is busy).
    public var handlesCreated: Int { handles.created }

    public func request(method: String = "GET", url: String, headers: [String] = [], body: [UInt8]? = nil,
                        timeoutMilliseconds: Int) async throws -> HTTPResponse {
        let limit = maxResponseBytes
        let handle = try handles.checkOut()
        defer { handles.checkIn(handle) }
        return try await handle.thread.run {
            try HTTPClient.perform(handle.reset(), method: method, url: url, headers: headers, body: body,
                                   timeoutMilliseconds: timeoutMilliseconds, limit: limit)
        }
    }

    public func postJSON(url: String, json: [UInt8], headers: [String] = [], timeoutMilliseconds: Int) async throws -> HTTPResponse {
        try await request(method: "POST", url: url, headers: ["Content-Type: application/json"] + headers,
                          body: json, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Collects the body; refuses more than `limit` bytes.
    private final class Sink {
        var data: [UInt8] = []
        let limit: Int
        var overflow = false
        init(limit: Int) { self.limit = limit }
    }

    private static func perform(_ h: UnsafeMutableRawPointer, method: String, url: String, headers: [String], body: [UInt8]?,
                                timeoutMilliseconds: Int, limit: Int) throws -> HTTPResponse {
        var list: UnsafeMutablePointer<curl_slist>?
        for header in headers { list = curl_slist_append(list, header) }
        defer { curl_slist_free_all(list) }
        let sink = Sink(limit: limit)
        let sinkPtr = Unmanaged.passUnretained(sink).toOpaque()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        dellm_curl_setopt_string(h, CURLOPT_URL, url)
        dellm_curl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        dellm_curl_setopt_long(h, CURLOPT_TIMEOUT_MS, timeoutMilliseconds)
        dellm_curl_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, min(timeoutMilliseconds, 5_000))
        dellm_curl_setopt_slist(h, CURLOPT_HTTPHEADER, list)
        dellm_curl_setopt_pointer(h, CURLOPT_WRITEDATA, sinkPtr)
        dellm_curl_setopt_write_function(h) { ptr, size, count, user in
            let sink = Unmanaged<Sink>.fromOpaque(user!).takeUnretainedValue()
            let n = size * count
            if sink.data.count + n > sink.limit {
                sink.overflow = true
                return 0
            }
            if let ptr {
                ptr.withMemoryRebound(to: UInt8.self, capacity: n) {
                    sink.data.append(contentsOf: UnsafeBufferPointer(start: $0, count: n))
                }
            }
            return n
        }
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { eb in
            dellm_curl_setopt_pointer(h, CURLOPT_ERRORBUFFER, eb.baseAddress)
            if method != "GET" && method != "POST" {
                dellm_curl_setopt_string(h, CURLOPT_CUSTOMREQUEST, method)
            }
            if let body {
                return body.withUnsafeBufferPointer { b -> CURLcode in
                    dellm_curl_setopt_long(h, CURLOPT_POSTFIELDSIZE, b.count)
                    // COPYPOSTFIELDS: curl keeps its own copy, so the buffer may go away.
                    dellm_curl_setopt_pointer(h, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: b.baseAddress ?? UnsafePointer(bitPattern: 1)!))
                    return curl_easy_perform(h)
                }
            }
            return curl_easy_perform(h)
        }
        if code != CURLE_OK {
            let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            switch code {
            case CURLE_OPERATION_TIMEDOUT: throw HTTPError(.timeout, "\(url): timed out after \(timeoutMilliseconds) ms")
            case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST: throw HTTPError(.connect, "\(url): \(text)")
            case CURLE_WRITE_ERROR where sink.overflow: throw HTTPError(.tooLarge, "\(url): response over \(limit) bytes")
            default: throw HTTPError(.transport, "\(url): \(text)")
            }
        }
        var status = 0
        dellm_curl_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, body: sink.data)
    }
}

/// One libcurl easy handle and the thread it is used on.
///
/// `@unchecked Sendable`: the handle is touched only inside `thread.run` (one call at a time), and only
/// by the request that has it checked out of the pool; it is cleaned up when the last reference goes.
final class CurlHandle: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    let thread: BlockingThread

    init() throws {
        guard let h = curl_easy_init() else { throw HTTPError(.transport, "curl_easy_init failed") }
        handle = h
        thread = BlockingThread(label: "dellm.curl")
    }

    /// The handle with every option back to its default (its connection cache kept). On its thread only.
    func reset() -> UnsafeMutableRawPointer {
        curl_easy_reset(handle)
        return handle
    }

    deinit { curl_easy_cleanup(handle) }
}

/// The idle easy handles of a client.
final class CurlHandlePool: Sendable {
    private let idle = Locked<(handles: [CurlHandle], created: Int)>(([], 0))

    var created: Int { idle.value.created }

    func checkOut() throws -> CurlHandle {
        if let h = idle.withLock({ $0.handles.popLast() }) { return h }
        let h = try CurlHandle()
        idle.withLock { $0.created += 1 }
        return h
    }

    func checkIn(_ h: CurlHandle) {
        idle.withLock { $0.handles.append(h) }
    }
}
