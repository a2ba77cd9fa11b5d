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
        /// Another behaviour, after this many milliseconds (a slow model that answers by prompt, say).
        indirect case delayed(Int, Behaviour)
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
        (listener, port) = try Loopback.listen()
        Loopback.serve(listener) { [self] c in serve(c) }
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
        guard let data = Loopback.readRequest(c)?.bytes else { return }
        let (b, isHealth) = lock.withLock { () -> (Behaviour, Bool) in
            requestCount += 1
            let health = String(decoding: data.prefix(16), as: UTF8.self).hasPrefix("GET /health")
            if !health && !String(decoding: data, as: UTF8.self).contains("Classify the request") { answerCount += 1 }
            return (behaviour, health)
        }
        if isHealth { return respond(c, 200, #"{"status":"ok"}"#) }
        var chosen = b
        while case .delayed(let ms, let inner) = chosen {
            usleep(UInt32(ms) * 1000)
            chosen = inner
        }
        if case .byRequest(let pairs, let otherwise) = chosen {
            let request = String(decoding: data, as: UTF8.self)
            chosen = .answer(pairs.first { request.contains($0.0) }?.1 ?? otherwise)
        }
        switch chosen {
        case .byRequest, .delayed: return
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
}
