import DellmCore
import DellmModel
import DellmRedis
import Foundation
import Logging

/// The programmatic checks of the verifier, per task type.
public enum Verifier {
    /// What code must pass: define the requested function, and satisfy the examples the task states.
    public static func codeTests(task: String) -> [String] {
        guard let name = Answers.requestedFunction(in: task) else { return [] }
        // A smoke call with small arguments: any exception may be a type mismatch, but endless recursion is a bug.
        let arity = Answers.requestedArity(in: task, function: name)
        let smoke = """
            for _arg in (0, 3):
                try:
                    \(name)(*([_arg] * \(arity)))
                except RecursionError:
                    raise AssertionError('\(name) recurses without end')
                except AssertionError:
                    raise
                except Exception:
                    pass
            """
        // A function asked for must not wait on standard input (small models like to add input()).
        let noInput = """
            import builtins
            def _no_input(*_a):
                raise AssertionError('\(name) reads from standard input')
            builtins.input = _no_input
            """
        var tests = [noInput, "assert callable(\(name)), '\(name) is not defined as a function'",
                     exampleTests(Answers.examples(in: task, function: name), function: name), smoke]
        // A function asked to return something computed from its arguments does not return the same
        // value whatever they are (`return x ** 0` for "x squared"). Inputs it cannot take are skipped;
        // at least four must succeed for the check to count. A predicate may be False on every one of
        // them ("between 13 and 19": none of these is a teen), so True and False do not count. Each
        // parameter gets a different value: with the same one for all, a / b, b - a + 1 and part / whole
        // are constant, and right programs failed (seen on code9-test through the fleet).
        if arity > 0, task.range(of: "return", options: .caseInsensitive) != nil {
            tests.append("""
                _outs = []
                _vals = (-7, -1, 0, 1, 2, 3, 10, 25, 100)
                for _k in range(len(_vals)):
                    try:
                        _outs.append(repr(\(name)(*[_vals[(_k + 4 * _j) % len(_vals)] for _j in range(\(arity))])))
                    except Exception:
                        pass
                if len(_outs) >= 4 and len(set(_outs)) == 1 and _outs[0] not in ('True', 'False'):
                    raise AssertionError('\(name) returns ' + _outs[0] + ' whatever its input')
                """)
        }
        return tests
    }

    /// The task's examples checked as data: each part is read with `ast.literal_eval` inside the box (the
    /// text travels base64-encoded, so no character of it can become code) and the function's result is
    /// compared with the expected value. Prints how many were checked; an example that is not a
    /// Python literal is named and not counted.
    static func exampleTests(_ examples: [Answers.Example], function name: String) -> String {
        let data = JSONValue.array(examples.map { .array([.string($0.arguments), .string($0.expected)]) }).serialized
        let encoded = Data(data.utf8).base64EncodedString()
        return """
            import ast as _ast, base64 as _b64, json as _json
            _checked = 0
            for _i, (_args, _want) in enumerate(_json.loads(_b64.b64decode('\(encoded)').decode('utf-8'))):
                try:
                    _a = _ast.literal_eval('(' + _args + ',)') if _args.strip() else ()
                    _w = _ast.literal_eval(_want)
                except Exception:
                    print('\(exampleUnreadable)', _i + 1)
                    continue
                _got = \(name)(*_a)
                assert _got == _w, 'example %d: \(name)(%s) returned %r, expected %r' % (_i + 1, _args[:80], _got, _w)
                _checked += 1
            print('\(examplesChecked)', _checked)
            """
    }

    static let examplesChecked = "DELLM-EXAMPLES-CHECKED"
    static let exampleUnreadable = "DELLM-EXAMPLE-UNREADABLE"

    /// How many examples a passing run checked, from its output.
    static func checkedExamples(in output: String) -> Int {
        output.split(separator: "\n").last { $0.hasPrefix(examplesChecked + " ") }.flatMap { Int($0.dropFirst(examplesChecked.count + 1)) } ?? 0
    }

    /// The verdict when the check takes no time: every check but running code in the sandbox (nil).
    public static func instantCheck(_ a: VerdictStore.AttemptToVerify) -> Verdict? {
        quickCheck(type: a.type, task: a.text, answer: a.answer, error: a.error)
    }

    public static func check(type: TaskType, task: String, answer: String?, error: String?, tool: String?) async -> Verdict {
        if let v = quickCheck(type: type, task: task, answer: answer, error: error) { return v }
        let answer = answer ?? ""
        guard let code = Answers.code(in: answer) else { return .init(passed: false, reason: "no code in the answer") }
        if let name = Answers.requestedFunction(in: task), !code.contains("def \(name)(") {
            return .init(passed: false, reason: "the code does not define \(name)()")
        }
        let tests = Verifier.codeTests(task: task)
        let r = await Sandbox.shared.check(code: code, tests: tests.joined(separator: "\n"))
        guard r.passed else { return .init(passed: false, reason: "sandbox: \(r.detail)") }
        let stated = Answers.requestedFunction(in: task).map { Answers.examples(in: task, function: $0).count } ?? 0
        let checked = Verifier.checkedExamples(in: r.output)
        var what = checked > 0 ? "passes \(checked) example\(checked == 1 ? "" : "s") from the task" : "defines what was asked and runs"
        if stated > checked { what += " (\(stated - checked) example\(stated - checked == 1 ? "" : "s") not readable as Python literals, not checked)" }
        // Running proves little without an example to compare with: such code is not verified.
        if checked == 0 {
            let how = tool == "task-words" ? "read from the task's words, it \(what)" : what
            return .init(passed: true, reason: "unproven: \(how) in the sandbox, but no example from the task tests it", decisive: false)
        }
        return .init(passed: true, reason: "\(what) in the sandbox")
    }

    /// Every check but running code (nil for an answer to a code task).
    static func quickCheck(type: TaskType, task: String, answer: String?, error: String?) -> Verdict? {
        guard let answer, !answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return .init(passed: false, reason: "no answer: \(error ?? "empty")")
        }
        // Every arithmetic statement the answer makes is recomputed, whoever wrote it: a wrong one fails
        // (after the task's own expression, where there is one: its reason says more).
        let wrongClaim: Verdict? = type == .code ? nil : ArithmeticClaims.claims(in: answer).first { !$0.holds }.map {
            .init(passed: false, reason: "the answer states \($0.expression) = \(Calculator.format($0.stated)), but it is \(Calculator.format($0.actual))")
        }
        // The task read by the calculator's grammar, once (only math tasks have one to recompute).
        let reading: Result<ArithmeticGrammar.Reading, ArithmeticGrammar.Declined>? = type == .math ? ArithmeticGrammar.read(task) : nil
        if wrongClaim != nil, case .success = reading {} else if let wrongClaim { return wrongClaim }
        switch type {
        case .math:
            let numbers = Answers.numbers(in: answer)
            if case .success(let r) = reading {
                guard let last = numbers.last else {
                    return .init(passed: false, reason: "the answer has no number; expected \(r.values.map(Calculator.format).joined(separator: " and "))")
                }
                func same(_ a: Double, _ b: Double) -> Bool { Swift.abs(a - b) <= 1e-6 * max(1, Swift.abs(b)) }
                if r.values.count == 1 {
                    if same(last, r.values[0]) { return wrongClaim ?? .init(passed: true, reason: "recomputed \(r.summary)") }
                    return .init(passed: false, reason: "recomputed \(r.summary), the answer says \(Calculator.format(last))")
                }
                // Several results asked for: every one must be in the answer.
                let missing = r.values.filter { v in !numbers.contains { same($0, v) } }
                if missing.isEmpty { return wrongClaim ?? .init(passed: true, reason: "recomputed \(r.summary)") }
                return .init(passed: false, reason: "the answer leaves out \(missing.map(Calculator.format).joined(separator: ", ")) (recomputed \(r.summary))")
            }
            guard !numbers.isEmpty else { return .init(passed: false, reason: "a word problem answered without a number") }
            // The word-problem rules read the task to the same number: still a reading by rule, not a proof.
            if let w = WordChains.wordProblem(task), let last = numbers.last, Swift.abs(last - w.value) <= 1e-6 * max(1, Swift.abs(w.value)) {
                return wrongClaim ?? .init(passed: true, reason: "unproven: the word-problem rule (\(w.rule)) reads the task to the same number: "
                    + w.steps.joined(separator: "; "), decisive: false)
            }
            let claims = ArithmeticClaims.claims(in: answer)
            // A one-line program must be over the problem's own numbers (and common constants).
            if claims.count == 1, !ProgramAided.usesOnlyProblemNumbers(Answers.numbers(in: claims[0].expression).map(Swift.abs), problem: task) {
                return .init(passed: false, reason: "the program \(claims[0].expression) uses numbers the problem does not have")
            }
            let checked = claims.count
            let why: String
            if case .failure(let d) = reading { why = d.reason } else { why = "no reading" }
            return .init(passed: true, reason: "unproven: the calculator does not read the task (\(why)); "
                + (checked > 0 ? "the answer's \(checked) arithmetic statement\(checked == 1 ? "" : "s") hold" : "the answer states no arithmetic to recompute"),
                decisive: false)
        case .code:
            return nil
        case .factual, .reasoning, .creative:
            // A question an exact tool reads is recomputed by it, whoever answered.
            if type == .reasoning, let s = ExactTools.solve(task) {
                if ExactTools.answerGives(answer, s) { return .init(passed: true, reason: "recomputed with the \(s.tool) tool: \(s.working)") }
                return .init(passed: false, reason: "the \(s.tool) tool says \(s.result): \(s.working)")
            }
            if Answers.isRefusal(answer) { return .init(passed: false, reason: "the model refused") }
            if answer.count < 2 { return .init(passed: false, reason: "the answer is too short") }
            if Answers.isLooping(answer) { return .init(passed: false, reason: "the answer repeats itself (a loop)") }
            return .init(passed: true, reason: "unproven: a well-formed \(type.rawValue) answer; no check can prove it", decisive: false)
        }
    }
}
