import Foundation

/// A small cheat sheet of Python idioms, looked up by the task's words and shown to the model with the
/// task ("Useful Python: …"): a tiny model that writes `len(text)` for "how many words" writes
/// `len(text.split())` once it is reminded that `text.split()` is the list of words. An idiom covers a
/// kind of task (every phrasing that counts words), not a task; at most `limit` are shown, the most
/// specific first. What no idiom matches gets the task alone.
public enum CodeHints {
    /// An idiom and the words that call for it: any one group whose words all occur in the task.
    public struct Idiom: Sendable {
        public let groups: [Set<String>]
        public let text: String
    }

    public static let limit = 2

    public static let idioms: [Idiom] = [
        // Strings
        .init(groups: [["words"], ["word", "count"]], text: "text.split() is the list of words in text; len(text.split()) is how many words it has."),
        .init(groups: [["reverse"], ["reversed"], ["backwards"]], text: "s[::-1] is s reversed (also a list reversed)."),
        .init(groups: [["palindrome"]], text: "s == s[::-1] tells whether s reads the same backwards."),
        .init(groups: [["vowel"], ["vowels"]], text: "ch in 'aeiouAEIOU' tells whether ch is a vowel; sum(1 for ch in s if ch in 'aeiouAEIOU') counts them."),
        .init(groups: [["uppercase"], ["upper"], ["capital"], ["lowercase"], ["lower"]], text: "s.upper() and s.lower() change case; ch.isupper() and ch.islower() test one character."),
        .init(groups: [["capitalize"], ["capitalise"], ["title"], ["capitalized"]], text: "w.capitalize() makes the first letter upper case; ' '.join(w.capitalize() for w in s.split()) does it for every word."),
        .init(groups: [["replace"], ["replaced"]], text: "s.replace(old, new) replaces every occurrence of old with new."),
        .init(groups: [["starts"], ["begins"], ["ends"], ["first", "character"], ["last", "character"]], text: "s.startswith(x) and s.endswith(x) test the ends; s[0] is the first character, s[-1] the last."),
        .init(groups: [["join"], ["joins"], ["joined"]], text: "' '.join(words) joins a list of strings with a single space between them."),
        .init(groups: [["digit"], ["digits"]], text: "str(n) is the digits of n as text: len(str(n)) counts them, sum(int(d) for d in str(n)) adds them; ch.isdigit() tests one character."),
        .init(groups: [["occurrences"], ["occurs"], ["often"], ["frequency"], ["times", "appears"]], text: "s.count(x) counts how often x occurs in a string or list."),
        .init(groups: [["longest"], ["shortest"]], text: "max(words, key=len) is the longest (the first of equals), min(words, key=len) the shortest."),
        .init(groups: [["length"], ["lengths"]], text: "len(x) is the length of a string or list; [len(w) for w in words] is the length of each."),
        .init(groups: [["spaces"], ["whitespace"]], text: "s.strip() removes spaces at both ends; s.split() splits at any run of spaces."),
        .init(groups: [["anagram"], ["anagrams"]], text: "sorted(a) == sorted(b) tells whether a and b are anagrams."),
        // Lists
        .init(groups: [["duplicates"], ["duplicate"], ["unique"], ["repeated"], ["distinct"]], text: "list(dict.fromkeys(items)) removes duplicates and keeps the order of first appearance; len(set(items)) counts distinct items."),
        .init(groups: [["largest"], ["maximum"], ["biggest"], ["smallest"], ["minimum"], ["max"], ["min"]], text: "max(nums) is the largest and min(nums) the smallest; max(nums) - min(nums) is the difference between them."),
        .init(groups: [["average"], ["mean"]], text: "sum(nums) / len(nums) is the average of a list of numbers."),
        .init(groups: [["sum"], ["total"], ["adds"]], text: "sum(nums) adds up a list of numbers (0 for an empty list)."),
        .init(groups: [["product"], ["multiplies", "all"], ["multiply", "all"]], text: "p = 1, then p *= x for every x, is the product of a list (1 for an empty list)."),
        .init(groups: [["sort"], ["sorted"], ["order", "ascending"], ["descending"], ["alphabetical"], ["alphabetically"]], text: "sorted(nums) is ascending; sorted(nums, reverse=True) is from largest to smallest."),
        .init(groups: [["positive"], ["negative"], ["only"], ["filter"], ["keep"]], text: "[x for x in nums if x > 0] keeps the positive numbers; any condition can follow the if."),
        .init(groups: [["even"], ["odd"]], text: "n % 2 == 0 is True for an even number, n % 2 == 1 for an odd one."),
        .init(groups: [["square"], ["squares"], ["squared"], ["cube"], ["cubes"], ["cubed"]], text: "x ** 2 is x squared, x ** 3 is x cubed; [x ** 2 for x in nums] squares each number."),
        .init(groups: [["dictionary"], ["dict"], ["maps"], ["mapping"]], text: "dict(zip(keys, values)) pairs keys with values; {k: v for k, v in pairs} builds a dictionary."),
        .init(groups: [["count", "each"], ["counts"], ["frequencies"]], text: "collections.Counter(items) counts how often each item occurs (a dictionary)."),
        .init(groups: [["flatten"], ["nested"]], text: "[x for sub in lists for x in sub] flattens a list of lists."),
        .init(groups: [["second", "largest"], ["second", "smallest"]], text: "sorted(set(nums))[-2] is the second largest distinct number, sorted(set(nums))[1] the second smallest."),
        .init(groups: [["index"], ["position"]], text: "items.index(x) is the position of the first x (a ValueError when absent); enumerate(items) gives positions with items."),
        .init(groups: [["contains"], ["member"], ["present"], ["exists"]], text: "x in items tells whether items contains x."),
        .init(groups: [["merge"], ["combine"], ["concatenate"]], text: "a + b joins two lists (or strings) into one."),
        .init(groups: [["chunks"], ["chunk"], ["groups", "size"]], text: "[items[i:i + n] for i in range(0, len(items), n)] splits a list into pieces of n."),
        // Numbers
        .init(groups: [["factorial"]], text: "math.factorial(n) is n! (1 for 0)."),
        .init(groups: [["gcd"], ["greatest", "common"], ["lcm"], ["least", "common", "multiple"]], text: "math.gcd(a, b) is the greatest common divisor; a * b // math.gcd(a, b) the least common multiple."),
        .init(groups: [["prime"], ["primes"]], text: "n is prime when n > 1 and no d in range(2, int(n ** 0.5) + 1) divides it (n % d == 0)."),
        .init(groups: [["power"], ["raised"], ["exponent"]], text: "base ** exp is base raised to the power exp."),
        .init(groups: [["fibonacci"]], text: "a, b = 0, 1, then n times a, b = b, a + b: a is the nth Fibonacci number (0, 1, 1, 2, 3, 5, …)."),
        .init(groups: [["celsius"], ["fahrenheit"]], text: "fahrenheit = celsius * 9 / 5 + 32 and celsius = (fahrenheit - 32) * 5 / 9."),
        .init(groups: [["leap"]], text: "year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) is True for a leap year."),
        .init(groups: [["circle"], ["radius"]], text: "math.pi * r ** 2 is a circle's area and 2 * math.pi * r its circumference."),
        .init(groups: [["divisible"], ["multiple"], ["divides"], ["remainder"]], text: "a % b is the remainder; a % b == 0 when b divides a."),
        .init(groups: [["absolute"]], text: "abs(x) is the absolute value of x."),
        .init(groups: [["binary"]], text: "bin(n)[2:] is n in binary; int(s, 2) reads a binary string."),
        .init(groups: [["round"], ["rounded"], ["decimal"], ["places"]], text: "round(x, 2) rounds x to 2 decimal places."),
    ]

    /// The words of a task, with the words of identifiers split at underscores ("count_words" → count, words).
    static func words(_ task: String) -> Set<String> {
        Set(task.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
    }

    /// The idioms the task calls for: by the size of the group that matched (most specific first), then
    /// by their order in the sheet; at most `limit`.
    public static func hints(for task: String) -> [String] {
        let w = words(task)
        let scored = idioms.enumerated().compactMap { k, idiom -> (Int, Int, String)? in
            let best = idiom.groups.filter { $0.isSubset(of: w) }.map(\.count).max()
            return best.map { ($0, k, idiom.text) }
        }
        return scored.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }.prefix(limit).map(\.2)
    }

    /// The task with its hints, as the model is asked it.
    public static func prompt(for task: String) -> String {
        let h = hints(for: task)
        return h.isEmpty ? task : task + "\n\nUseful Python:\n" + h.map { "- " + $0 }.joined(separator: "\n")
    }
}
