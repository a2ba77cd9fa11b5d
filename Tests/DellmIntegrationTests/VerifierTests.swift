import DellmCore
import DellmFleet
import Testing

@Suite(.enabled(if: Sandbox.shared.isAvailable, "needs bubblewrap"))
struct VerifierTests {
    let task = "Write a Python function factorial(n) that returns n factorial; factorial(5) returns 120."

    @Test func passesCodeThatDoesWhatTheTaskSays() async {
        let v = await Verifier.check(type: .code, task: task,
                                     answer: "```python\ndef factorial(n):\n    return 1 if n <= 1 else n * factorial(n - 1)\n```", error: nil, tool: nil)
        #expect(v.passed, "\(v.reason)")
        #expect(v.reason.contains("passes 1 example"), "\(v.reason)")
    }

    @Test func failsEndlessRecursionAndBrokenExamples() async {
        let endless = await Verifier.check(type: .code, task: task,
                                           answer: "```python\ndef factorial(n):\n    return n * factorial(n - 1)\n```", error: nil, tool: nil)
        #expect(!endless.passed)
        let wrong = await Verifier.check(type: .code, task: task, answer: "```python\ndef factorial(n):\n    return n\n```", error: nil, tool: nil)
        #expect(!wrong.passed)
        let missing = await Verifier.check(type: .code, task: task, answer: "```python\ndef fact(n):\n    return 1\n```", error: nil, tool: nil)
        #expect(!missing.passed)
        #expect(missing.reason.contains("factorial"))
        // Seen in an evolution run: a function that asks for input() passed a task without examples.
        let prime = "Write a Python function is_prime(n) that returns True if n is a prime number."
        let asks = await Verifier.check(type: .code, task: prime, answer: """
            ```python
            def is_prime(n):
                if n < 2:
                    return False
                limit = int(input("Enter a number: "))
                return all(n % d for d in range(2, limit))
            ```
            """, error: nil, tool: nil)
        #expect(!asks.passed)
        #expect(asks.reason.contains("standard input"), "\(asks.reason)")
        let fine = await Verifier.check(type: .code, task: prime, answer: """
            ```python
            def is_prime(n):
                return n >= 2 and all(n % d for d in range(2, int(n ** 0.5) + 1))
            ```
            """, error: nil, tool: nil)
        #expect(fine.passed, "\(fine.reason)")
    }

    @Test func failsAFunctionThatIgnoresItsInput() async {
        // Seen in an evolution run: "x squared" answered with x ** 0, which runs and has no examples to fail.
        let square = "Write a Python function square(x) that returns x squared."
        let constant = await Verifier.check(type: .code, task: square, answer: "```python\ndef square(x):\n    return x ** 0\n```", error: nil, tool: nil)
        #expect(!constant.passed)
        #expect(constant.reason.contains("returns 1 whatever its input"), "\(constant.reason)")
        #expect(await Verifier.check(type: .code, task: square, answer: "```python\ndef square(x):\n    return x * x\n```", error: nil, tool: nil).passed)
        // Functions of text cannot take the numbers: the check does not apply, and does not fail them.
        let reverse = "Write a Python function reverse(s) that returns the string s reversed."
        let r = await Verifier.check(type: .code, task: reverse, answer: "```python\ndef reverse(s):\n    return s[::-1]\n```", error: nil, tool: nil)
        #expect(r.passed, "\(r.reason)")
        // A predicate true for some of the inputs and false for others passes.
        let negative = "Write a Python function is_negative(n) that returns True if n is below zero."
        #expect(await Verifier.check(type: .code, task: negative, answer: "```python\ndef is_negative(n):\n    return n < 0\n```", error: nil, tool: nil).passed)
        // A predicate False on every input of the check is not failed for it (seen with the real model:
        // every right is_teen failed, and the wrong `age <= 13` was chosen).
        let teen = "Write a Python function is_teen(age) that returns True if age is between 13 and 19 inclusive."
        let right = await Verifier.check(type: .code, task: teen, answer: "```python\ndef is_teen(age):\n    return 13 <= age <= 19\n```", error: nil, tool: nil)
        #expect(right.passed, "\(right.reason)")
        // Two parameters get different values: a / b is not constant (it was 1.0 when both had the same one).
        let divide = "Write a Python function divide(a, b) that returns a divided by b."
        let quotient = await Verifier.check(type: .code, task: divide, answer: "```python\ndef divide(a, b):\n    return a / b\n```", error: nil, tool: nil)
        #expect(quotient.passed, "\(quotient.reason)")
        let ignoring = await Verifier.check(type: .code, task: divide, answer: "```python\ndef divide(a, b):\n    return a ** 0\n```", error: nil, tool: nil)
        #expect(!ignoring.passed)
    }

    /// Probe 1 of the hostile-input suite: the task's example text is data, never code.
    @Test func examplesAreReadAsDataNeverRun() async {
        let task = "Write a Python function ident(x) that returns x unchanged. Example: ident(1) returns [print('INJECTED') or __import__('os').system('id')]"
        let tests = Verifier.codeTests(task: task).joined(separator: "\n")
        #expect(!tests.contains("INJECTED") && !tests.contains("__import__"), "the example's text reached the test code")
        let v = await Verifier.check(type: .code, task: task, answer: "```python\ndef ident(x):\n    return x\n```", error: nil, tool: nil)
        #expect(v.passed, "\(v.reason)")
        #expect(v.reason.contains("not readable as Python literals"), "\(v.reason)")
        // Literal examples are still checked, as data: a wrong function fails them.
        let add = "Write a Python function add(a, b) that returns the sum; add(2, 3) returns 5 and add('a', 'b') returns 'ab'."
        let right = await Verifier.check(type: .code, task: add, answer: "```python\ndef add(a, b):\n    return a + b\n```", error: nil, tool: nil)
        #expect(right.passed && right.reason.contains("passes 2 examples"), "\(right.reason)")
        let wrong = await Verifier.check(type: .code, task: add, answer: "```python\ndef add(a, b):\n    return b\n```", error: nil, tool: nil)
        #expect(!wrong.passed)
    }

    @Test func recomputesArithmetic() async {
        #expect(await Verifier.check(type: .math, task: "What is 15 times 23?", answer: "15 × 23 = 345", error: nil, tool: nil).passed)
        let wrong = await Verifier.check(type: .math, task: "What is 15 times 23?", answer: "15 × 23 = 375", error: nil, tool: nil)
        #expect(!wrong.passed)
        #expect(wrong.reason == "recomputed 15 × 23 = 345, the answer says 375")
    }

    /// An answer's own arithmetic is recomputed, whoever wrote it (issue 16): a word problem answered
    /// with a wrong step fails, though no expression of the task could be recomputed.
    @Test func failsAnAnswerThatStatesWrongArithmetic() async {
        let task = "Sam buys 7 packs of 8 pens and gives away 6 pens. How many pens does he have left?"
        let wrong = await Verifier.check(type: .math, task: task, answer: "He has 7 * 8 - 6 = 52 pens left. The answer is 52.", error: nil, tool: nil)
        #expect(!wrong.passed)
        #expect(wrong.reason == "the answer states 7 * 8 - 6 = 52, but it is 50", "\(wrong.reason)")
        let right = await Verifier.check(type: .math, task: task, answer: "7 × 8 = 56, and 56 − 6 = 50. The answer is 50.", error: nil, tool: nil)
        #expect(right.passed, "\(right.reason)")
        #expect(await !Verifier.check(type: .reasoning, task: "q", answer: "Since 3 + 4 = 8, the answer is 8.", error: nil, tool: nil).passed)
    }

    @Test func failsRefusalsLoopsAndNothing() async {
        #expect(await !Verifier.check(type: .factual, task: "q", answer: "I'm sorry, I cannot help.", error: nil, tool: nil).passed)
        #expect(await !Verifier.check(type: .factual, task: "q", answer: nil, error: "model down", tool: nil).passed)
        let loop = "the planet known as the red one is the planet known as the red one is the planet known as the red one"
        #expect(await !Verifier.check(type: .factual, task: "q", answer: loop, error: nil, tool: nil).passed)
    }

    /// Coverage: a part that asks for several results passes only when the answer gives every one.
    @Test func failsAnAnswerThatLeavesOutARequest() async {
        let task = "Multiply 9 by 9, add 4 to 6"
        let short = await Verifier.check(type: .math, task: task, answer: "9 × 9 = 81", error: nil, tool: nil)
        #expect(!short.passed)
        #expect(short.reason.contains("leaves out 10"), "\(short.reason)")
        #expect(await Verifier.check(type: .math, task: task, answer: "9 × 9 = 81\n6 + 4 = 10", error: nil, tool: nil).passed)
    }

    /// The calculator's grammar, not a guess, decides what a task asks: "increase by percent" is no sum.
    @Test func recomputesWhatTheTaskSaysNotAPartialParse() async {
        let task = "Increase 80 by 25 percent."
        #expect(await !Verifier.check(type: .math, task: task, answer: "80 + 25 = 105", error: nil, tool: nil).passed)
        let right = await Verifier.check(type: .math, task: task, answer: "80 × (1 + 25%) = 100\nAnswer: 100", error: nil, tool: nil)
        #expect(right.passed && right.decisive, "\(right.reason)")
    }

    /// No verdict without a check: what no check can prove passes as unproven, never as proven.
    @Test func unprovenWhereNothingCanProve() async {
        let fact = await Verifier.check(type: .factual, task: "What is the capital of Peru?", answer: "Lima.", error: nil, tool: nil)
        #expect(fact.unproven && fact.reason.hasPrefix("unproven"), "\(fact.reason)")
        let untested = await Verifier.check(type: .code, task: "Write a Python function word_count(s) that counts the words in s.",
                                            answer: "```python\ndef word_count(s):\n    return len(s)\n```", error: nil, tool: nil)
        #expect(untested.unproven, "code no example tests passed as proven: \(untested.reason)")
        let word = await Verifier.check(type: .math, task: "Ann has 5 pears and buys 3 more. How many pears does she have?",
                                        answer: "5 + 3 = 8. Answer: 8", error: nil, tool: nil)
        #expect(word.unproven, "\(word.reason)")
        let tested = await Verifier.check(type: .code, task: task,
                                          answer: "```python\ndef factorial(n):\n    return 1 if n <= 1 else n * factorial(n - 1)\n```", error: nil, tool: nil)
        #expect(tested.passed && !tested.unproven, "\(tested.reason)")
    }

    /// The chain rule's answer, whose one stated sum adds a number it computed (1200 + 150), is not failed
    /// as a program with numbers the problem lacks: the rule reads the task to the same number, unproven.
    @Test func aWordChainAnswerIsUnprovenNotFailed() async throws {
        let task = "A plumber charges $30/hour for 5 hours of work, plus a $40 call-out fee. How much does he charge in total?"
        let rule = try #require(WordChains.wordProblem(task))
        let v = await Verifier.check(type: .math, task: task, answer: rule.answer, error: nil, tool: "word-problem")
        #expect(v.passed && v.unproven && v.reason.contains("word-problem rule"), "\(v.reason)")
        // Another number is checked as before (here a one-line program over numbers the problem lacks).
        let other = await Verifier.check(type: .math, task: task, answer: "30 * 5 = 150\nAnswer: 150", error: nil, tool: nil)
        #expect(!other.reason.contains("word-problem rule"), "\(other.reason)")
    }

    /// A question an exact tool reads is recomputed by it: a model's wrong next number fails, proven.
    @Test func exactToolsRecomputeWhoeverAnswered() async {
        let task = "What number comes next: 4, 8, 12, 16?"
        let wrong = await Verifier.check(type: .reasoning, task: task, answer: "The next number is 18.", error: nil, tool: nil)
        #expect(!wrong.passed && wrong.reason.contains("sequence tool says 20"), "\(wrong.reason)")
        let right = await Verifier.check(type: .reasoning, task: task, answer: "It is 20.", error: nil, tool: nil)
        #expect(right.passed && !right.unproven, "\(right.reason)")
    }

    /// Candidates run together in one sandbox run; the behaviour two of three share wins over the third's.
    @Test func codeIsChosenByTheBehaviourMostCandidatesShare() async throws {
        let task = "Write a Python function word_count(text) that returns the number of words in text."
        let candidates = [
            "def word_count(text):\n    return len(text)",
            "def word_count(text):\n    return len(text.split())",
            "def word_count(text):\n    n = 0\n    for w in text.split():\n        n += 1\n    return n",
            "def word_count(text):\n    while True:\n        pass",
        ]
        let inputs = try #require(CodeSelection.inputs(task: task, function: "word_count"))
        let run = await Sandbox.shared.run(CodeSelection.harness(candidates: candidates, function: "word_count", inputs: inputs))
        let outputs = try #require(CodeSelection.outputs(from: run.stdout), "\(run)")
        #expect(outputs.count == 4)
        #expect(outputs[3].allSatisfy { $0 == "error:TimeoutError" }, "an endless candidate is cut off per call: \(outputs[3])")
        let chosen = try #require(CodeSelection.choose(outputs))
        #expect(chosen.index == 1 && chosen.agreeing == 2)
    }
}
