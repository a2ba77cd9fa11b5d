import DellmSupport
import Foundation

/// The wire dialect of a model endpoint.
public enum ModelAPI: String, Sendable, CaseIterable {
    /// `/v1/chat/completions`: llama.cpp server, vLLM, LM Studio, …
    case openai
    /// `/api/chat`: Ollama.
    case ollama
    /// No model at all: answers at once. For benchmarks of the queue's own overhead only; the
    /// configuration refuses it unless DELLM_BENCHMARK=1.
    case benchmarkInstant = "benchmark-instant"
}

public struct ChatMessage: Sendable, Codable, Equatable {
    public var role: String
    public var content: String
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
    public static func system(_ s: String) -> ChatMessage { .init(role: "system", content: s) }
    public static func user(_ s: String) -> ChatMessage { .init(role: "user", content: s) }
    public static func assistant(_ s: String) -> ChatMessage { .init(role: "assistant", content: s) }
}

public struct ChatRequest: Sendable {
    public var messages: [ChatMessage]
    public var temperature: Double
    public var maxTokens: Int
    public var seed: Int?
    public var stop: [String]
    /// Another model than the client's own, by name (a genome's model); nil or "default": the client's.
    public var model: String?

    public init(messages: [ChatMessage], temperature: Double = 0, maxTokens: Int = 256, seed: Int? = nil, stop: [String] = [],
                model: String? = nil) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.seed = seed
        self.stop = stop
    }
}

public struct ChatResponse: Sendable {
    public var text: String
    public var completionTokens: Int?
    public var milliseconds: Int
}

/// A model call that produced no usable answer.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Not reachable, timed out, or 5xx: worth a retry, maybe elsewhere.
        case unavailable
        /// 503 while the model loads: busy, not dead.
        case loading
        /// A response that is not the expected JSON, or an empty answer.
        case badResponse
        /// 4xx: the request itself is wrong; retrying will not help.
        case rejected
    }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}

/// A client for one model endpoint, over libcurl.
public struct ModelClient: Sendable {
    public var baseURL: String
    public var api: ModelAPI
    public var model: String
    public var timeoutMilliseconds: Int
    public var apiKey: String?
    let http: HTTPClient

    public init(baseURL: String, api: ModelAPI = .openai, model: String = "default",
                timeoutMilliseconds: Int = 60_000, apiKey: String? = nil) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.api = api
        self.model = model
        self.timeoutMilliseconds = timeoutMilliseconds
        self.apiKey = apiKey
        self.http = HTTPClient()
    }

    /// `/health` (llama.cpp) or `/api/tags` (Ollama): ready, loading (503), or throws when unreachable.
    public func health() async throws -> Bool {
        if api == .benchmarkInstant { return true }
        let path = api == .ollama ? "/api/tags" : "/health"
        let r = try await http.request(url: baseURL + path, timeoutMilliseconds: 5_000)
        if r.status == 503 { return false }
        if (200..<300).contains(r.status) { return true }
        throw ModelError(.unavailable, "\(baseURL)\(path) answered HTTP \(r.status)")
    }

    /// llama-server's slots (`/slots`): how many there are and how many are processing a request now;
    /// nil where the server has no such endpoint (Ollama, `--no-slots`).
    public func slots() async throws -> (total: Int, busy: Int)? {
        guard api == .openai else { return nil }
        let r = try await http.request(url: baseURL + "/slots", timeoutMilliseconds: 2_000)
        guard (200..<300).contains(r.status),
              let list = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [[String: Any]] else { return nil }
        return (list.count, list.filter { ($0["is_processing"] as? Bool) == true }.count)
    }

    public func chat(_ request: ChatRequest) async throws -> ChatResponse {
        if api == .benchmarkInstant {
            return ChatResponse(text: "An instant benchmark answer.", completionTokens: 5, milliseconds: 0)
        }
        let started = ContinuousClock.now
        let body = try requestBody(request)
        var headers: [String] = []
        if let apiKey { headers.append("Authorization: Bearer \(apiKey)") }
        let path = api == .ollama ? "/api/chat" : "/v1/chat/completions"
        let response: HTTPResponse
        do {
            response = try await http.postJSON(url: baseURL + path, json: body, headers: headers,
                                               timeoutMilliseconds: timeoutMilliseconds)
        } catch let e as HTTPError {
            throw ModelError(.unavailable, "model at \(baseURL): \(e.message)")
        }
        switch response.status {
        case 200..<300: break
        case 503: throw ModelError(.loading, "model at \(baseURL) is loading (HTTP 503)")
        case 500...: throw ModelError(.unavailable, "model at \(baseURL) answered HTTP \(response.status): \(response.text.prefix(200))")
        default: throw ModelError(.rejected, "model at \(baseURL) refused the request, HTTP \(response.status): \(response.text.prefix(200))")
        }
        let (text, tokens) = try parse(response.body)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { throw ModelError(.badResponse, "model at \(baseURL) returned an empty answer") }
        let elapsed = ContinuousClock.now - started
        let ms = elapsed.milliseconds
        return ChatResponse(text: trimmed, completionTokens: tokens, milliseconds: ms)
    }

    func requestBody(_ r: ChatRequest) throws -> [UInt8] {
        var o: [String: Any] = [
            "model": r.model.flatMap { $0 == "default" ? nil : $0 } ?? model,
            "messages": r.messages.map { ["role": $0.role, "content": $0.content] },
            "stream": false,
        ]
        switch api {
        case .openai, .benchmarkInstant:
            o["temperature"] = r.temperature
            o["max_tokens"] = r.maxTokens
            if let seed = r.seed { o["seed"] = seed }
            if !r.stop.isEmpty { o["stop"] = r.stop }
        case .ollama:
            var options: [String: Any] = ["temperature": r.temperature, "num_predict": r.maxTokens]
            if let seed = r.seed { options["seed"] = seed }
            if !r.stop.isEmpty { options["stop"] = r.stop }
            o["options"] = options
        }
        return Array(try JSONSerialization.data(withJSONObject: o))
    }

    func parse(_ body: [UInt8]) throws -> (String, Int?) {
        guard let o = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw ModelError(.badResponse, "model at \(baseURL) returned malformed JSON: \(String(decoding: body.prefix(120), as: UTF8.self))")
        }
        switch api {
        case .openai, .benchmarkInstant:
            guard let choices = o["choices"] as? [[String: Any]], let first = choices.first,
                  let message = first["message"] as? [String: Any], let content = message["content"] as? String else {
                throw ModelError(.badResponse, "model at \(baseURL) returned JSON without choices[0].message.content")
            }
            let usage = o["usage"] as? [String: Any]
            return (content, usage?["completion_tokens"] as? Int)
        case .ollama:
            guard let message = o["message"] as? [String: Any], let content = message["content"] as? String else {
                throw ModelError(.badResponse, "model at \(baseURL) returned JSON without message.content")
            }
            return (content, o["eval_count"] as? Int)
        }
    }
}
