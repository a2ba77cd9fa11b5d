import Foundation
import Testing
@testable import DellmCore

@Suite(.enabled(if: Sandbox.shared.isAvailable, "needs bubblewrap and python3"))
struct SandboxTests {
    /// Each run closes every descriptor it opened. Two a run stayed open, and a process that had run a
    /// few hundred programs crashed starting the next (found running every compiled task of the code sets
    /// through the fleet's checks). Other suites open descriptors meanwhile, so the bound is loose: the
    /// leak added two a run, 300 here.
    @Test func runsLeaveNoDescriptorsOpen() async {
        func open() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0 }
        let runs = 150
        let before = open()
        for _ in 0..<runs { _ = await Sandbox.shared.run("print(1)") }
        let grown = open() - before
        #expect(grown < runs, "\(grown) more descriptors open after \(runs) runs")
    }

    @Test func runsCodeAndItsTests() async {
        let r = await Sandbox.shared.check(code: "def add(a, b):\n    return a + b", tests: "assert add(2, 3) == 5")
        #expect(r.passed)
        let wrong = await Sandbox.shared.check(code: "def add(a, b):\n    return a - b", tests: "assert add(2, 3) == 5")
        #expect(!wrong.passed)
        #expect(wrong.detail.contains("AssertionError"))
    }

    /// A program in the box gets its signals (the spawning thread's blocked mask is cleared), runs as
    /// `__main__`, and its tracebacks give its own line numbers.
    @Test func signalsArriveAndTracebacksAreTheProgramsOwn() async {
        let alarm = await Sandbox.shared.run("""
            import signal
            def h(*a): raise TimeoutError()
            signal.signal(signal.SIGALRM, h)
            signal.setitimer(signal.ITIMER_REAL, 0.1)
            def spin():
                n = 0
                while True: n += 1
            try:
                spin()
            except TimeoutError:
                print('alarm', __name__)
            """)
        #expect(alarm.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "alarm __main__", "\(alarm)")
        let failing = await Sandbox.shared.run("x = 1\ny = 2\nraise ValueError('line three')")
        #expect(failing.stderr.contains("File \"<stdin>\", line 3"), "\(failing.stderr)")
    }

    @Test func hasNoNetwork() async {
        let code = "import socket\ns = socket.socket()\ns.settimeout(2)\ns.connect(('127.0.0.1', 22))"
        let r = await Sandbox.shared.run(code)
        #expect(!r.succeeded)
        #expect(r.stderr.contains("Error"))
    }

    @Test func cannotWriteTheSystemOrSeeTheHome() async {
        let r = await Sandbox.shared.run("open('/usr/dellm-sandbox-test', 'w')")
        #expect(!r.succeeded)
        let home = await Sandbox.shared.run("import os\nprint(os.path.exists('/root') or os.path.exists('/work') or os.path.exists('/home'))")
        #expect(home.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "False")
    }

    @Test func stopsRunawayCode() async {
        var limits = Sandbox.Limits()
        limits.wallSeconds = 2
        let r = await Sandbox(limits: limits).run("while True: pass")
        #expect(!r.succeeded)
        let hog = await Sandbox.shared.run("x = bytearray(1 << 30)")
        #expect(!hog.succeeded, "memory limit")
        let chatty = await Sandbox.shared.run("print('x' * 10_000_000)")
        #expect(chatty.stdout.utf8.count <= Sandbox.Limits().outputBytes)
    }

    /// Probe 1 of the hostile-input suite: code in the box holds nothing it could use against the host.
    @Test func holdsNoPrivilege() async {
        let r = await Sandbox.shared.run("""
            import os, ctypes
            st = open('/proc/self/status').read()
            field = lambda k: st.split(k + ':')[1].split()[0]
            libc = ctypes.CDLL(None, use_errno=True)
            print(os.getuid(), field('CapEff'), field('CapBnd'), field('NoNewPrivs'), field('Seccomp'),
                  libc.unshare(0x10000000), libc.mount(b'none', b'/usr', None, 32 | 1, None))
            """)
        #expect(r.succeeded, "\(r.stderr)")
        let f = r.stdout.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(f.count == 7)
        guard f.count == 7 else { return }
        #expect(f[0] != "0", "runs as root inside the box")
        #expect(f[1] == "0000000000000000" && f[2] == "0000000000000000", "capabilities: \(f[1]) \(f[2])")
        #expect(f[3] == "1", "no_new_privs")
        #expect(f[4] == "2", "seccomp filter")
        #expect(f[5] == "-1" && f[6] == "-1", "unshare and mount must fail")
    }

    @Test func cannotWriteTheHostOrItsSysctls() async {
        let marker = "/usr/dellm-sandbox-probe-\(UUID().uuidString)"
        let r = await Sandbox.shared.run("""
            import os, subprocess
            for path in ('\(marker)', '/proc/sys/kernel/hostname', '/etc/dellm-probe'):
                try:
                    open(path, 'w').write('x')
                    print('WROTE', path)
                except Exception as e:
                    pass
            subprocess.run(['mount', '-o', 'remount,rw', '/usr'], capture_output=True)
            try:
                open('\(marker)', 'w').write('x'); print('WROTE after remount')
            except Exception:
                pass
            """)
        #expect(!r.stdout.contains("WROTE"), "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func boundsTheWholeBox() async {
        // A fork bomb: the box's process limit holds however many processes try.
        let bomb = await Sandbox.shared.run("""
            import os, time
            n = 0
            try:
                for i in range(500):
                    if os.fork() == 0:
                        time.sleep(20); os._exit(0)
                    n += 1
            except OSError:
                pass
            print(n)
            """)
        let forked = Int(bomb.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(forked >= 0 && forked < Sandbox.Limits().processes, "forked \(forked)")
        // /tmp and /dev/shm are small.
        let tmp = await Sandbox.shared.run("""
            n = 0
            try:
                for d in ('/tmp', '/dev/shm'):
                    for i in range(64):
                        open('%s/f%d' % (d, i), 'wb').write(b'x' * ((1 << 20) - 1)); n += 1
            except OSError:
                pass
            print(n)
            """)
        let files = Int(tmp.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(files >= 0 && files < 2 * (Sandbox.Limits().tmpBytes >> 20), "wrote \(files) MiB")
    }

    @Test(.enabled(if: BoxCgroup.isAvailable, "needs cgroups (root)"))
    func boundsTheBoxMemoryAcrossProcesses() async {
        // Four processes of 200 MiB each stay under the per-process limit; together they exceed the box's.
        let r = await Sandbox.shared.run("""
            import os, time
            pids = []
            for i in range(4):
                pid = os.fork()
                if pid == 0:
                    try:
                        b = bytearray(200 << 20)
                        for j in range(0, len(b), 4096): b[j] = 1
                        time.sleep(1)
                    except MemoryError:
                        os._exit(3)
                    os._exit(0)
                pids.append(pid)
            print(sum(1 for p in pids if os.waitpid(p, 0)[1] == 0))
            """)
        let survived = Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(survived >= 0 && survived < 4, "\(survived) of 4 kept 200 MiB each: \(r.stderr.suffix(200))")
    }

    @Test func codeCannotForgeThePassMarker() async {
        let r = await Sandbox.shared.check(code: "print('DELLM-SANDBOX-OK')\nimport os\nos._exit(0)", tests: "assert False")
        #expect(!r.passed)
    }

    @Test func refusesToRunWithoutBubblewrap() async {
        let r = await Sandbox(bwrap: "/nonexistent/bwrap").run("print(1)")
        guard case .unavailable(let why) = r.status else { Issue.record("ran without a sandbox"); return }
        #expect(why.contains("never run unsandboxed"))
    }
}
