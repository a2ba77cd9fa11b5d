import DellmCore
import DellmFleet
import Foundation

/// The fleet as real `dellm worker` processes, for tests that kill, stop and restart them.
final class ProcessFleet: @unchecked Sendable {
    static var binary: String? { ProcessInfo.processInfo.environment["DELLM_TEST_BIN"] }

    let environment: [String: String]
    let logDirectory: URL
    // Guarded by `lock`.
    private let lock = NSLock()
    private var processes: [String: Process] = [:]

    static let roles = ["ingest", "specialist", "verifier", "synthesizer"]

    init(config: FleetConfig, modelURL: String, extra: [String: String] = [:]) throws {
        var env = ProcessInfo.processInfo.environment
        env["DELLM_REDIS_URL"] = config.redisURL
        env["DELLM_DATABASE_URL"] = config.databaseURL
        env["DELLM_MODEL_URL"] = modelURL
        env["DELLM_NAMESPACE"] = config.namespace
        env["DELLM_TASK_PARTITIONS"] = String(config.taskPartitions)
        env["DELLM_BLOCK_MS"] = "100"
        env["DELLM_CLAIM_MIN_IDLE_MS"] = "1500"
        env["DELLM_LOG_LEVEL"] = "warning"
        env.merge(extra) { _, b in b }
        environment = env
        logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("dellm-fleet-\(config.namespace)")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
    }

    /// Starts the roles that are not running (like `ops/stack up`).
    func up(_ roles: [String] = ProcessFleet.roles) throws {
        for role in roles where !isRunning(role) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: ProcessFleet.binary!)
            p.arguments = ["worker", role, "--concurrency", role == "specialist" ? "4" : "2"]
            p.environment = environment
            let log = logDirectory.appendingPathComponent("\(role).log")
            if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
            let h = try FileHandle(forWritingTo: log)
            h.seekToEndOfFile()
            p.standardOutput = h
            p.standardError = h
            try p.run()
            lock.withLock { processes[role] = p }
        }
    }

    func isRunning(_ role: String) -> Bool { lock.withLock { processes[role]?.isRunning ?? false } }

    func kill(_ role: String, signal: Int32 = SIGKILL) {
        guard let p = lock.withLock({ processes[role] }), p.isRunning else { return }
        Glibc.kill(p.processIdentifier, signal)
    }

    /// Waits for a role's process to exit; returns its exit status and how long it took.
    func waitExit(_ role: String, timeout: Duration) async -> (status: Int32, reason: Process.TerminationReason, took: Duration)? {
        guard let p = lock.withLock({ processes[role] }) else { return nil }
        let start = ContinuousClock.now
        while p.isRunning {
            if ContinuousClock.now - start > timeout { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return (p.terminationStatus, p.terminationReason, ContinuousClock.now - start)
    }

    func down() async {
        for role in ProcessFleet.roles { kill(role, signal: SIGTERM) }
        for role in ProcessFleet.roles {
            if await waitExit(role, timeout: .seconds(10)) == nil { kill(role) }
        }
    }

    func log(_ role: String) -> String {
        (try? String(contentsOf: logDirectory.appendingPathComponent("\(role).log"), encoding: .utf8)) ?? ""
    }
}

/// Runs a shell command given by ./ops/test (restarting a server), and waits for it to exit.
func runShell(_ command: String) async throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    // Close inherited descriptors first: a server the command daemonizes must not keep the pipe
    // Foundation uses to notice this process's exit.
    let closeInherited = "for fd in $(ls /proc/$$/fd); do [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\" 2>/dev/null; done; "
    p.arguments = ["-c", closeInherited + command]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    let status: Int32 = try await withCheckedThrowingContinuation { c in
        p.terminationHandler = { c.resume(returning: $0.terminationStatus) }
        do { try p.run() } catch { c.resume(throwing: error) }
    }
    if status != 0 { throw CocoaError(.executableLoad, userInfo: ["command": command, "status": status]) }
}

extension ProcessFleet {
    /// Runs the binary with the test servers; stops it after `lines` lines of output when given (a
    /// `--watch`), else waits for its exit. Bounded: a process still running after 30 s is terminated.
    static func cli(_ config: FleetConfig, _ args: [String], lines: Int? = nil) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ProcessFleet.binary!)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["DELLM_REDIS_URL"] = config.redisURL
        env["DELLM_DATABASE_URL"] = config.databaseURL
        env["DELLM_NAMESPACE"] = config.namespace
        env["DELLM_TASK_PARTITIONS"] = String(config.taskPartitions)
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let guardTimer = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: guardTimer)
        defer { guardTimer.cancel() }
        var data = Data()
        if let lines {
            while data.count(where: { $0 == UInt8(ascii: "\n") }) < lines {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break } // ended
                data += chunk
            }
            if p.isRunning { p.terminate() }
        } else {
            data = out.fileHandleForReading.readDataToEndOfFile()
        }
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
