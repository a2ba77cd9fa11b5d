import Foundation
import Testing
@testable import DellmCore

@Suite(.enabled(if: Sandbox.shared.isAvailable, "needs bubblewrap and python3"))
struct SandboxTests {
    @Test func runsCodeAndItsTests() async {
        let r = await Sandbox.shared.check(code: "def add(a, b):\n    return a + b", tests: "assert add(2, 3) == 5")
        #expect(r.passed)
        let wrong = await Sandbox.shared.check(code: "def add(a, b):\n    return a - b", tests: "assert add(2, 3) == 5")
        #expect(!wrong.passed)
        #expect(wrong.detail.contains("AssertionError"))
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

    @Test func refusesToRunWithoutBubblewrap() async {
        let r = await Sandbox(bwrap: "/nonexistent/bwrap").run("print(1)")
        guard case .unavailable(let why) = r.status else { Issue.record("ran without a sandbox"); return }
        #expect(why.contains("never run unsandboxed"))
    }
}
