import Foundation

/// Runs model-written and task-derived Python inside bubblewrap, holding nothing:
/// - an unprivileged user: as root, the box is entered through `setpriv` as `nobody` (uid 65534) with
///   no capabilities (inheritable, ambient and bounding sets empty) and `no_new_privs`; bubblewrap then
///   runs unprivileged and maps that uid inside its own user namespace (further user namespaces off);
/// - its own user, PID, IPC, UTS, network, mount and cgroup namespaces; the system read-only, no home;
/// - a seccomp filter (`SeccompFilter`) that refuses mounting, namespaces, tracing, kernel modules,
///   keyrings, BPF and the like;
/// - limits for the whole box where the host has cgroups (as root): processes and memory together;
///   per process: address space, CPU seconds, file size, no core files; a 16 MiB `/tmp`; wall time and
///   output. `/dev/shm` is a small tmpfs too.
/// Never runs code unsandboxed: without bwrap the result says so.
public struct Sandbox: Sendable {
    public struct Limits: Sendable {
        public var wallSeconds: Double = 10
        public var cpuSeconds: Int = 5
        /// Address space of each process.
        public var memoryBytes: Int = 256 << 20
        /// Memory of the whole box (every process of it, and its /tmp), where cgroups are at hand.
        public var boxMemoryBytes: Int = 384 << 20
        /// Processes and threads of the whole box (a cgroup); without cgroups, of the sandbox user.
        public var processes: Int = 32
        public var outputBytes: Int = 64 << 10
        public var fileBytes: Int = 1 << 20
        public var tmpBytes: Int = 16 << 20
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
    /// The host uid and gid the box runs as when the caller is root (`nobody`).
    public var uid: UInt32 = 65534
    public var gid: UInt32 = 65534

    public static let shared = Sandbox()

    public init(bwrap: String = "/usr/bin/bwrap", python: String = "/usr/bin/python3", limits: Limits = Limits()) {
        self.bwrap = bwrap
        self.python = python
        self.limits = limits
    }

    public var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: bwrap) && FileManager.default.isExecutableFile(atPath: python)
    }

    static var isRoot: Bool { getuid() == 0 }

    /// What holds the box, for `dellm sandbox run` and `doctor`.
    public var description: String {
        let who = Sandbox.isRoot ? "uid \(uid) without capabilities" : "uid \(getuid()) (not root: no uid change)"
        let box = BoxCgroup.isAvailable
            ? "cgroup: \(limits.processes) processes, \(limits.boxMemoryBytes >> 20) MiB for the whole box"
            : "no cgroup (needs root): \(limits.processes + 64) processes for the sandbox user, memory per process only"
        return "bubblewrap as \(who); user/pid/ipc/uts/net/mount namespaces; seccomp \(SeccompFilter.program.isEmpty ? "off (unknown architecture)" : "on"); "
            + "\(box); \(limits.memoryBytes >> 20) MiB address space and \(limits.cpuSeconds) s CPU per process; "
            + "/tmp \(limits.tmpBytes >> 20) MiB; \(Int(limits.wallSeconds)) s wall"
    }

    /// bubblewrap's arguments, then the limits and python (everything after the launcher).
    func boxArguments(seccompFD: Int?, cgroup: Bool) -> [String] {
        var args = [bwrap,
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
            "--proc", "/proc", "--dev", "/dev", "--size", String(limits.tmpBytes), "--tmpfs", "/tmp",
            "--size", String(limits.tmpBytes), "--tmpfs", "/dev/shm",
            "--unshare-all", "--unshare-user", "--disable-userns", "--uid", String(uid), "--gid", String(gid),
            "--hostname", "sandbox", "--die-with-parent", "--new-session", "--chdir", "/tmp", "--clearenv",
            "--setenv", "PATH", "/usr/bin", "--setenv", "LANG", "C.UTF-8",
            "--setenv", "HOME", "/tmp", "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
        ]
        if FileManager.default.fileExists(atPath: "/etc/alternatives") { args += ["--ro-bind", "/etc/alternatives", "/etc/alternatives"] }
        // The box's own root (a tmpfs bubblewrap makes) is read-only too: only /tmp and /dev/shm take writes.
        args += ["--remount-ro", "/"]
        if let seccompFD { args += ["--seccomp", String(seccompFD)] }
        args += ["/usr/bin/prlimit", "--as=\(limits.memoryBytes)", "--cpu=\(limits.cpuSeconds)", "--fsize=\(limits.fileBytes)", "--core=0"]
        // Without a cgroup (not root: a container's worker), processes are bounded per user instead: all
        // boxes of the user together and, on kernels before 5.14, the worker's own threads too (the slack).
        if !cgroup { args.append("--nproc=\(limits.processes + 64)") }
        args += [python, "-I", "-c", Sandbox.bootstrap]
        return args
    }

    /// How python starts in the box: it clears the signal mask the box inherits from the spawning
    /// thread (most signals blocked: no alarm or timer would ever arrive), then runs the program read
    /// from standard input as `__main__`, its tracebacks naming `<stdin>` and its own line numbers.
    static let bootstrap = "import signal as _s, sys as _y; _s.pthread_sigmask(_s.SIG_SETMASK, []); "
        + "exec(compile(_y.stdin.read(), '<stdin>', 'exec'), {'__name__': '__main__', '__builtins__': __builtins__})"

    /// The whole command: a shell that joins the box's cgroups and opens the seccomp program as fd 3,
    /// then `setpriv` (as root) drops to the sandbox user without capabilities, then bubblewrap.
    func command(cgroups: [String], seccompPath: String?) -> (executable: String, arguments: [String]) {
        var inner: [String] = []
        if Sandbox.isRoot {
            inner += ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups",
                      "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
        }
        inner += boxArguments(seccompFD: seccompPath == nil ? nil : 3, cgroup: !cgroups.isEmpty)
        let script = """
            for d in $1 $2; do [ "$d" = - ] || echo $$ > "$d/cgroup.procs" || exit 125; done
            if [ "$3" != - ]; then exec 3< "$3" || exit 125; fi
            shift 3; exec "$@"
            """
        let c = cgroups + Array(repeating: "-", count: max(0, 2 - cgroups.count))
        return ("/bin/sh", ["-c", script, "sandbox", c[0], c[1], seccompPath ?? "-"] + inner)
    }

    /// Runs `code` (given on stdin) and returns what happened.
    public func run(_ code: String) async -> Run {
        guard isAvailable else {
            return Run(status: .unavailable("bubblewrap (\(bwrap)) or python (\(python)) is not installed; code is never run unsandboxed"),
                       stdout: "", stderr: "")
        }
        // The program goes to a pipe whose reader may be gone (a box that could not start): EPIPE, not SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let box = self
        return await withCheckedContinuation { continuation in
            Sandbox.onOwnThread("dellm.sandbox.run") {
                continuation.resume(returning: box.runBlocking(input: code))
            }
        }
    }

    /// The sandbox's process plumbing (a run waiting for its box, the two pipe drains, the input writer)
    /// blocks threads of its own, started per run and named in thread dumps: never the cooperative
    /// pool, and never a shared dispatch pool that many blocked runs could starve.
    static func onOwnThread(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.stackSize = 512 << 10
        thread.start()
    }

    private func runBlocking(input: String) -> Run {
        let cgroup = BoxCgroup.isAvailable ? BoxCgroup(limits: limits) : nil
        defer { cgroup?.destroy() }
        if BoxCgroup.isAvailable && cgroup == nil {
            return Run(status: .unavailable("cannot create the sandbox's cgroup; code is never run without its limits"), stdout: "", stderr: "")
        }
        let (executable, arguments) = command(cgroups: cgroup?.directories ?? [], seccompPath: SeccompFilter.path)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
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
            Sandbox.onOwnThread("dellm.sandbox.drain") {
                box.drain(pipe.fileHandleForReading, limit: limits.outputBytes)
                // Drained to the end: the read end is this run's alone, and closed here (left to deinit, two
                // descriptors a run stayed open, and a specialist failed after some hundreds of runs).
                try? pipe.fileHandleForReading.close()
                group.leave()
            }
        }
        // A program that never reads its input must not block the writer: write from another thread.
        let input = Data(input.utf8)
        Sandbox.onOwnThread("dellm.sandbox.input") {
            // The throwing write: a box that exits without reading its input (EPIPE) is an error here,
            // where the legacy write(_:) would trap.
            try? stdin.fileHandleForWriting.write(contentsOf: input)
            try? stdin.fileHandleForWriting.close()
        }
        var timedOut = false
        if done.wait(timeout: .now() + limits.wallSeconds) == .timedOut {
            timedOut = true
            cgroup?.killAll()
            p.terminate()
            if done.wait(timeout: .now() + 1) == .timedOut { kill(p.processIdentifier, SIGKILL); done.wait() }
        }
        // Whatever the box left running (a daemonised child holds the pipes open) ends with it.
        cgroup?.killAll()
        group.wait()
        let status = p.terminationStatus
        if !timedOut && status == 125 {
            return Run(status: .unavailable("the sandbox could not be entered: \(errBox.text.prefix(300))"), stdout: "", stderr: errBox.text)
        }
        return Run(status: timedOut ? .timedOut : .exited(status), stdout: outBox.text, stderr: errBox.text)
    }

    /// Bytes from a pipe, up to a limit (the rest is read and dropped).
    ///
    /// `@unchecked Sendable`: `data` is written by one drain call on one thread and read only after
    /// the DispatchGroup wait that the drain's end signals: never concurrently.
    private final class Collected: @unchecked Sendable {
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

    /// Runs `code` followed by `tests`; passes when it exits 0 and prints the run's marker last. The
    /// marker is new for every run, so code cannot print it to pass.
    public func check(code: String, tests: String) async -> (passed: Bool, detail: String, output: String) {
        let marker = "DELLM-SANDBOX-OK-" + UUID().uuidString
        let r = await run(code + "\n\n" + tests + "\nprint(\"\(marker)\")\n")
        switch r.status {
        case .unavailable(let why): return (false, "not run: \(why)", "")
        case .timedOut: return (false, "timed out after \(Int(limits.wallSeconds)) s", r.stdout)
        case .exited(let c):
            if c == 0 && r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(marker) { return (true, "ran in the sandbox", r.stdout) }
            let last = r.stderr.split(separator: "\n").last.map(String.init) ?? "exit status \(c)"
            return (false, String(last.prefix(200)), r.stdout)
        }
    }
}

/// The box's cgroups (v1 `pids` and `memory` hierarchies, or v2 with both controllers): made per run
/// under `dellm-sandbox/`, every process of the box joins them before bubblewrap starts, and they are
/// emptied and removed after it.
struct BoxCgroup {
    let directories: [String]

    static let v1 = ["/sys/fs/cgroup/pids", "/sys/fs/cgroup/memory"]
    static let v2 = "/sys/fs/cgroup"

    /// Root can create cgroups here (tested once per process).
    static let isAvailable: Bool = {
        guard Sandbox.isRoot else { return false }
        if v1.allSatisfy({ FileManager.default.fileExists(atPath: $0 + "/cgroup.procs") }) { return true }
        let controllers = (try? String(contentsOfFile: v2 + "/cgroup.subtree_control", encoding: .utf8)) ?? ""
        return controllers.contains("pids") && controllers.contains("memory")
    }()

    static var isV1: Bool { FileManager.default.fileExists(atPath: v1[0] + "/cgroup.procs") }

    init?(limits: Sandbox.Limits) {
        let name = "dellm-sandbox/" + UUID().uuidString
        let fm = FileManager.default
        if BoxCgroup.isV1 {
            let pids = BoxCgroup.v1[0] + "/" + name, mem = BoxCgroup.v1[1] + "/" + name
            do {
                try fm.createDirectory(atPath: pids, withIntermediateDirectories: true)
                try fm.createDirectory(atPath: mem, withIntermediateDirectories: true)
            } catch { BoxCgroup.remove([pids, mem]); return nil }
            directories = [pids, mem]
            let ok = BoxCgroup.write(String(limits.processes), to: pids + "/pids.max")
                && BoxCgroup.write(String(limits.boxMemoryBytes), to: mem + "/memory.limit_in_bytes")
            // Swap counted too where the kernel accounts it (not every host does).
            _ = BoxCgroup.write(String(limits.boxMemoryBytes), to: mem + "/memory.memsw.limit_in_bytes")
            if !ok { destroy(); return nil }
        } else {
            let parent = BoxCgroup.v2 + "/dellm-sandbox", dir = BoxCgroup.v2 + "/" + name
            do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch { return nil }
            _ = BoxCgroup.write("+pids +memory", to: parent + "/cgroup.subtree_control")
            directories = [dir]
            let ok = BoxCgroup.write(String(limits.processes), to: dir + "/pids.max")
                && BoxCgroup.write(String(limits.boxMemoryBytes), to: dir + "/memory.max")
            _ = BoxCgroup.write("0", to: dir + "/memory.swap.max")
            if !ok { destroy(); return nil }
        }
    }

    static func write(_ value: String, to path: String) -> Bool {
        guard let h = FileHandle(forWritingAtPath: path) else { return false }
        defer { try? h.close() }
        do { try h.write(contentsOf: Data(value.utf8)) } catch { return false }
        return true
    }

    /// SIGKILL to every process still in the box, until none is left (a fork bomb forks while killed).
    func killAll() {
        for _ in 0..<50 {
            let pids = directories.flatMap { dir in
                ((try? String(contentsOfFile: dir + "/cgroup.procs", encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int32($0) }
            }
            if pids.isEmpty { return }
            for pid in pids { kill(pid, SIGKILL) }
            usleep(2_000)
        }
    }

    func destroy() {
        killAll()
        BoxCgroup.remove(directories)
    }

    static func remove(_ dirs: [String]) {
        for d in dirs {
            // A cgroup whose last process is still exiting refuses rmdir (EBUSY) for a moment.
            for _ in 0..<100 where rmdir(d) != 0 && errno == EBUSY { usleep(2_000) }
        }
    }
}

/// A classic-BPF seccomp program for bubblewrap's `--seccomp`: the box's architecture only (other ABIs
/// are killed), and the system calls a Python program has no business making fail with EPERM.
enum SeccompFilter {
    #if arch(x86_64)
    static let auditArch: UInt32 = 0xC000_003E
    /// ptrace, syslog, vhangup, pivot_root, adjtimex, chroot, acct, settimeofday, mount, umount2, swapon/off,
    /// reboot, set*name, iopl/ioperm, (f)init/delete_module, quotactl, lookup_dcookie, clock_settime/adjtime,
    /// kexec, keyrings, unshare, setns, perf_event_open, *_handle_at, process_vm_*, bpf, userfaultfd,
    /// io_uring, the new mount API.
    static let denied: [UInt32] = [
        101, 103, 153, 155, 159, 161, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 175, 176, 179, 212, 227, 246,
        248, 249, 250, 272, 298, 303, 304, 305, 308, 310, 311, 313, 320, 321, 323, 425, 426, 427, 428, 429, 430, 431, 432, 442,
    ]
    /// The x32 ABI shares the architecture word; its numbers carry this bit.
    static let abiBit: UInt32 = 0x4000_0000
    #elseif arch(arm64)
    static let auditArch: UInt32 = 0xC000_00B7
    static let denied: [UInt32] = [
        39, 40, 41, 51, 58, 60, 89, 97, 104, 105, 106, 112, 116, 117, 142, 161, 162, 170, 171, 217, 218, 219, 224, 225, 241,
        264, 265, 266, 268, 270, 271, 273, 280, 282, 294, 425, 426, 427, 428, 429, 430, 431, 432, 442,
    ]
    static let abiBit: UInt32 = 0
    #else
    static let auditArch: UInt32 = 0
    static let denied: [UInt32] = []
    static let abiBit: UInt32 = 0
    #endif

    /// The program's bytes (struct sock_filter: u16 code, u8 jt, u8 jf, u32 k), empty where unknown.
    static let program: [UInt8] = {
        guard auditArch != 0 else { return [] }
        let ldAbs: UInt16 = 0x20, jeq: UInt16 = 0x15, jge: UInt16 = 0x35, ret: UInt16 = 0x06
        let allow: UInt32 = 0x7FFF_0000, eperm: UInt32 = 0x0005_0000 | 1, killProcess: UInt32 = 0x8000_0000
        var code: [(UInt16, UInt8, UInt8, UInt32)] = [(ldAbs, 0, 0, 4), (jeq, 1, 0, auditArch), (ret, 0, 0, killProcess), (ldAbs, 0, 0, 0)]
        // Every test jumps to the EPERM return, the last instruction.
        let tests = (abiBit != 0 ? 1 : 0) + denied.count
        let errnoAt = code.count + tests + 1
        if abiBit != 0 { code.append((jge, UInt8(errnoAt - code.count - 1), 0, abiBit)) }
        for nr in denied { code.append((jeq, UInt8(errnoAt - code.count - 1), 0, nr)) }
        code.append((ret, 0, 0, allow))
        code.append((ret, 0, 0, eperm))
        var bytes: [UInt8] = []
        for (c, jt, jf, k) in code {
            bytes += [UInt8(c & 0xFF), UInt8(c >> 8), jt, jf]
            bytes += withUnsafeBytes(of: k.littleEndian, Array.init)
        }
        return bytes
    }()

    /// The program written once per process to a file only its owner can write (nil where unknown).
    static let path: String? = {
        guard !program.isEmpty else { return nil }
        let path = NSTemporaryDirectory() + "dellm-seccomp-\(getpid())-\(UUID().uuidString).bpf"
        guard FileManager.default.createFile(atPath: path, contents: Data(program), attributes: [.posixPermissions: 0o644]) else { return nil }
        return path
    }()
}
