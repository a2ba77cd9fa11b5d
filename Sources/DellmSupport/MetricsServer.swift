import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 endpoint for Prometheus scrapes: `GET /metrics` answers with `body()`, anything
/// else with 404. Blocking sockets on threads of its own, never on the cooperative pool: each
/// connection is served on a thread of its own, at most `maxConnections` at once: the accept loop waits
/// for a free slot, so more clients wait in the listen backlog instead of being turned away. Reads and
/// writes time out after 2 s, so a client that sends nothing holds its slot no longer than that.
/// Writes use MSG_NOSIGNAL: a client that resets the connection costs an error, never a SIGPIPE.
/// Sendable as it stands: every stored property is a constant (the socket, the port, the body closure,
/// the slot semaphore); connections live only on the threads that serve them.
public final class MetricsServer: Sendable {
    public let port: Int
    private let listener: Int32
    private let body: @Sendable () -> [UInt8]

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static let maxConnections = 16
    private let slots = DispatchSemaphore(value: MetricsServer.maxConnections)

    public init(host: String = "127.0.0.1", port: Int, body: @escaping @Sendable () -> [UInt8]) throws {
        BrokenPipes.ignore()
        self.body = body
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "cannot create a socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else {
            close(fd)
            throw Failure(description: "metrics host '\(host)' is not an IPv4 address")
        }
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw Failure(description: "cannot listen on \(host):\(port): \(String(cString: strerror(errno)))")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        self.port = Int(UInt16(bigEndian: addr.sin_port))
        self.listener = fd
        let serve = self.serve, slots = self.slots
        Thread.detachNewThread {
            while true {
                slots.wait() // a dedicated thread: blocking here holds up no task
                let c = accept(fd, nil, nil)
                if c < 0 {
                    slots.signal()
                    if errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE { usleep(errno == EINTR ? 0 : 10_000); continue }
                    return
                }
                Thread.detachNewThread {
                    serve(c)
                    slots.signal()
                }
            }
        }
    }



    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve(_ c: Int32) {
        defer { close(c) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = read(c, &buf, buf.count)
        guard n > 0 else { return }
        let line = String(decoding: buf[0..<n].prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = line.split(separator: " ")
        let ok = parts.count >= 2 && parts[0] == "GET" && (parts[1] == "/metrics" || parts[1].hasPrefix("/metrics?"))
        let payload = ok ? body() : Array("not found: GET /metrics\n".utf8)
        let head = "HTTP/1.1 \(ok ? "200 OK" : "404 Not Found")\r\nContent-Type: \(ok ? "text/plain; version=0.0.4" : "text/plain")\r\nContent-Length: \(payload.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array(head.utf8) + payload
        var sent = 0
        while sent < bytes.count {
            let w = bytes[sent...].withUnsafeBufferPointer { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if w <= 0 { return }
            sent += w
        }
    }
}
