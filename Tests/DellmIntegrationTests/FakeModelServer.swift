import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fast fake of an OpenAI-compatible model server on 127.0.0.1, for tests that need speed or
/// faults. Its real counterpart (llama.cpp) is tested end to end in ModelEndToEndTests.
final class FakeModelServer: @unchecked Sendable {
    enum Behaviour: Sendable {
        /// 200 with `answer` as choices[0].message.content.
        case answer(String)
        /// This HTTP status with a short body.
        case status(Int)
        /// Accept, read the request, and never answer (until the server stops).
        case hang
        /// Close the connection without a response.
        case close
        /// 200 with a body that is not JSON.
        case malformed
        /// 200 with an empty content string.
        case empty
        /// 200 with the answer of the first (needle, answer) pair whose needle the request contains,
        /// else `otherwise` (a model that answers differently under different prompts).
        case byRequest([(String, String)], otherwise: String)
        /// 200 with `answer` after this many milliseconds (a model as slow as a real one).
        case slow(Int, String)
    }

    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }
    private let listener: Int32
    // `behaviour`, `requests` and `stopped` are guarded by `lock`.
    private let lock = NSLock()
    private var behaviour: Behaviour
    private var requestCount = 0
    private var answerCount = 0
    private var stopped = false

    init(_ behaviour: Behaviour = .answer("Paris is the capital of France.")) throws {
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        listener = fd
        Thread.detachNewThread { [self] in
            while true {
                let c = accept(fd, nil, nil)
                if c < 0 { return }
                // A thread per connection: a hanging answer must not hold a shared pool thread.
                Thread.detachNewThread { self.serve(c) }
            }
        }
    }

    func set(_ b: Behaviour) { lock.withLock { behaviour = b } }
    var requests: Int { lock.withLock { requestCount } }
    /// Chat requests that ask for an answer (not a health check, not ingest's one-word classification).
    var answerRequests: Int { lock.withLock { answerCount } }

    func stop() {
        lock.withLock { stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve(_ c: Int32) {
        defer { close(c) }
        var data = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 65536)
        // Read headers, then Content-Length bytes of body.
        while true {
            let n = read(c, &buf, buf.count)
            if n <= 0 { return }
            data += buf[0..<n]
            if let end = Self.headerEnd(data) {
                let head = String(decoding: data[0..<end], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if data.count - (end + 4) >= length { break }
            }
        }
        let (b, isHealth) = lock.withLock { () -> (Behaviour, Bool) in
            requestCount += 1
            let health = String(decoding: data.prefix(16), as: UTF8.self).hasPrefix("GET /health")
            if !health && !String(decoding: data, as: UTF8.self).contains("Classify the request") { answerCount += 1 }
            return (behaviour, health)
        }
        if isHealth { return respond(c, 200, #"{"status":"ok"}"#) }
        var chosen = b
        if case .byRequest(let pairs, let otherwise) = b {
            let request = String(decoding: data, as: UTF8.self)
            chosen = .answer(pairs.first { request.contains($0.0) }?.1 ?? otherwise)
        }
        switch chosen {
        case .byRequest: return
        case .slow(let ms, let text):
            usleep(UInt32(ms) * 1000)
            let content = String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast()
            respond(c, 200, #"{"choices":[{"message":{"role":"assistant","content":\#(content)}}],"usage":{"completion_tokens":7}}"#)
        case .answer(let text):
            let content = String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast()
            respond(c, 200, #"{"choices":[{"message":{"role":"assistant","content":\#(content)}}],"usage":{"completion_tokens":7}}"#)
        case .status(let s):
            respond(c, s, #"{"error":"injected"}"#)
        case .hang:
            while !lock.withLock({ stopped }) { usleep(20_000) }
        case .close:
            return
        case .malformed:
            respond(c, 200, "<html>not json")
        case .empty:
            respond(c, 200, #"{"choices":[{"message":{"role":"assistant","content":""}}]}"#)
        }
    }

    private func respond(_ c: Int32, _ status: Int, _ body: String) {
        let bytes = Array("HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
        _ = bytes.withUnsafeBufferPointer { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    private static func headerEnd(_ d: [UInt8]) -> Int? {
        guard d.count >= 4 else { return nil }
        for i in 0...(d.count - 4) where d[i] == 13 && d[i + 1] == 10 && d[i + 2] == 13 && d[i + 3] == 10 { return i }
        return nil
    }
}
