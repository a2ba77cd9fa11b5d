import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A pass-through in front of the real model server that counts the answers asked of it: every
/// request is forwarded as it is (with `Connection: close`) and the reply relayed back. For tests that
/// must know how many model calls the fleet really made.
final class CountingProxy: @unchecked Sendable {
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }
    private let upstreamPort: UInt16
    private let listener: Int32
    // Guarded by `lock`.
    private let lock = NSLock()
    private var answers = 0

    /// Chat requests that ask for an answer (not ingest's one-word classification).
    var answerRequests: Int { lock.withLock { answers } }

    init(upstream: String) throws {
        guard let p = URLComponents(string: upstream)?.port else { throw POSIXError(.EINVAL) }
        upstreamPort = UInt16(p)
        (listener, port) = try Loopback.listen()
        Loopback.serve(listener) { [self] c in relay(c) }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func relay(_ c: Int32) {
        defer { close(c) }
        guard let (request, end) = Loopback.readRequest(c) else { return }
        var buf = [UInt8](repeating: 0, count: 65536)
        let lines = String(decoding: request[0..<end], as: UTF8.self).split(separator: "\r\n")
            .filter { !$0.lowercased().hasPrefix("connection:") }
        let body = Array(request[(end + 4)...])
        if lines.first?.hasPrefix("POST") == true, !String(decoding: body, as: UTF8.self).contains("Classify the request") {
            lock.withLock { answers += 1 }
        }
        let forwarded = Array((lines.joined(separator: "\r\n") + "\r\nConnection: close\r\n\r\n").utf8) + body
        let u = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(u) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(upstreamPort.bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(u, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard ok == 0 else { return }
        _ = forwarded.withUnsafeBufferPointer { send(u, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        while true {
            let n = read(u, &buf, buf.count)
            if n <= 0 { return }
            if buf.withUnsafeBufferPointer({ send(c, $0.baseAddress, n, Int32(MSG_NOSIGNAL)) }) <= 0 { return }
        }
    }
}
