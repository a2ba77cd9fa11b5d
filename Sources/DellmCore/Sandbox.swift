import Foundation

/// Runs model-written Python inside bubblewrap: no network, read-only system, private /tmp, no
/// view of the host's home or processes, and CPU, memory, file-size, output and wall-time limits.
/// Never runs code unsandboxed: without bwrap the result says so.
public struct Sandbox: Sendable {
    public struct Limits: Sendable {
        public var wallSeconds: Double = 10
        public var cpuSeconds: Int = 5
        public var memoryBytes: Int = 256 << 20
        public var outputBytes: Int = 64 << 10
        public init() {}
    }

    public struct Run: Sendable, Equatable {
        public enum Status: Sendable, Equatable { case exited(Int32), timedOut, unavailable(String) }
        public var status: Status
        public var stdout: String
        public var stderr: String
        public var succeeded: Bool { status == .exited(0) }
    }

    public var bwrap: String
    public var python: String
    public var limits: Limits

    public static let shared = Sandbox()

    public init(bwrap: String = "/usr/bin/bwrap", python: String = "/usr/bin/python3", limits: Limits = Limits()) {
        self.bwrap = bwrap
        self.python = python
        self.limits = limits
    }

    public var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: bwrap) && FileManager.default.isExecutableFile(atPath: python)
    }

    func arguments() -> [String] {
        var args = [
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--unshare-all", "--die-with-parent", "--new-session", "--chdir", "/tmp",
            "--setenv", "HOME", "/tmp", "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
        ]
        if FileManager.default.fileExists(atPath: "/etc/alternatives") { args += ["--ro-bind", "/etc/alternatives", "/etc/alternatives"] }
        args += ["/usr/bin/prlimit", "--as=\(limits.memoryBytes)", "--cpu=\(limits.cpuSeconds)", "--fsize=1048576", "--core=0",
                 python, "-I", "-"]
        return args
    }

    /// Runs `code` (given on stdin) and returns what happened.
    public func run(_ code: String) async -> Run {
        guard isAvailable else {
            return Run(status: .unavailable("bubblewrap (\(bwrap)) or python (\(python)) is not installed; code is never run unsandboxed"),
                       stdout: "", stderr: "")
        }
        let args = arguments()
        let limits = self.limits
        let bwrap = self.bwrap
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Sandbox.runBlocking(bwrap: bwrap, args: args, input: code, limits: limits))
            }
        }
    }

    private static func runBlocking(bwrap: String, args: [String], input: String, limits: Limits) -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bwrap)
        p.arguments = args
        p.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        p.standardError = stderr
        let done = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in done.signal() }
        do { try p.run() } catch {
            return Run(status: .unavailable("cannot start bubblewrap: \(error)"), stdout: "", stderr: "")
        }
        // Read both pipes concurrently so a chatty program cannot deadlock on a full pipe.
        let outBox = Collected(), errBox = Collected()
        let group = DispatchGroup()
        for (pipe, box) in [(stdout, outBox), (stderr, errBox)] {
            group.enter()
            DispatchQueue.global().async {
                box.drain(pipe.fileHandleForReading, limit: limits.outputBytes)
                group.leave()
            }
        }
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        var timedOut = false
        if done.wait(timeout: .now() + limits.wallSeconds) == .timedOut {
            timedOut = true
            p.terminate()
            if done.wait(timeout: .now() + 1) == .timedOut { kill(p.processIdentifier, SIGKILL); done.wait() }
        }
        group.wait()
        return Run(status: timedOut ? .timedOut : .exited(p.terminationStatus), stdout: outBox.text, stderr: errBox.text)
    }

    /// Bytes from a pipe, up to a limit (the rest is read and dropped).
    private final class Collected: @unchecked Sendable {
        // Written by one drain call, read after the DispatchGroup wait: never concurrently.
        var data = Data()
        func drain(_ h: FileHandle, limit: Int) {
            while true {
                let chunk = h.availableData
                if chunk.isEmpty { break }
                if data.count < limit { data.append(chunk.prefix(limit - data.count)) }
            }
        }
        var text: String { String(decoding: data, as: UTF8.self) }
    }

    /// Runs `code` followed by `tests`; passes when it exits 0 and prints the marker last.
    public func check(code: String, tests: String) async -> (passed: Bool, detail: String) {
        let marker = "DELLM-SANDBOX-OK"
        let r = await run(code + "\n\n" + tests + "\nprint(\"\(marker)\")\n")
        switch r.status {
        case .unavailable(let why): return (false, "not run: \(why)")
        case .timedOut: return (false, "timed out after \(Int(limits.wallSeconds)) s")
        case .exited(let c):
            if c == 0 && r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(marker) { return (true, "ran in the sandbox") }
            let last = r.stderr.split(separator: "\n").last.map(String.init) ?? "exit status \(c)"
            return (false, String(last.prefix(200)))
        }
    }
}
