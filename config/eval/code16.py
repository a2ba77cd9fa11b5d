# Code without examples, written at the very end of stop 32 after its last change, and run once through the
# fleet to report. Never tuned on.
from code3 import checked
from evalsets import write

TEST = [
    ("Write a Python function count_odd(nums) that returns how many odd numbers are in nums.",
     "def count_odd(nums): return sum(1 for x in nums if x % 2)", "assert count_odd([1, 2, 3]) == 2"),
    ("Write a Python function reverse_text(text) that returns the characters of text in reverse order.",
     "def reverse_text(text): return text[::-1]", "assert reverse_text('abc') == 'cba'"),
    ("Write a Python function sum_of_two(a, b) that returns a plus b.",
     "def sum_of_two(a, b): return a + b", "assert sum_of_two(2, 3) == 5"),
    ("Write a Python function is_negative(n) that returns True if n is less than zero.",
     "def is_negative(n): return n < 0", "assert is_negative(-1)\nassert not is_negative(0)"),
    ("Write a Python function smallest(values) that returns the minimum value in values.",
     "def smallest(values): return min(values)", "assert smallest([4, 2, 7]) == 2"),
    ("Write a Python function word_count(sentence) that returns how many words sentence has.",
     "def word_count(sentence): return len(sentence.split())", "assert word_count('a b c') == 3"),
    ("Write a Python function cube_list(nums) that returns a list with the cube of each number in nums.",
     "def cube_list(nums): return [x ** 3 for x in nums]", "assert cube_list([1, 2]) == [1, 8]"),
    ("Write a Python function inches_to_cm(inches) that converts inches to centimeters.",
     "def inches_to_cm(inches): return inches * 2.54", "assert abs(inches_to_cm(2) - 5.08) < 1e-9"),
    ("Write a Python function has_space(s) that returns True if s contains a space.",
     "def has_space(s): return ' ' in s", "assert has_space('a b')\nassert not has_space('ab')"),
    ("Write a Python function total_chars(words) that returns the sum of the lengths of the strings in words.",
     "def total_chars(words): return sum(len(w) for w in words)", "assert total_chars(['ab', 'cde']) == 5"),
    ("Write a Python function greater_than_ten(nums) that returns the numbers in nums that are greater than 10.",
     "def greater_than_ten(nums): return [x for x in nums if x > 10]", "assert greater_than_ten([5, 11, 20]) == [11, 20]"),
    ("Write a Python function factorial_of(n) that returns the factorial of n.",
     "def factorial_of(n):\n    import math\n    return math.factorial(n)", "assert factorial_of(5) == 120"),
    ("Write a Python function ends_with_s(word) that returns True if word ends with the letter 's'.",
     "def ends_with_s(word): return word.endswith('s')", "assert ends_with_s('cats')\nassert not ends_with_s('cat')"),
    ("Write a Python function mean_value(nums) that returns the mean of nums.",
     "def mean_value(nums): return sum(nums) / len(nums)", "assert mean_value([1, 2, 3, 6]) == 3"),
    ("Write a Python function first_three(items) that returns the first three elements of items.",
     "def first_three(items): return items[:3]", "assert first_three([1, 2, 3, 4]) == [1, 2, 3]"),
    ("Write a Python function count_a(s) that returns the number of times the letter 'a' appears in s.",
     "def count_a(s): return s.count('a')", "assert count_a('banana') == 3"),
    ("Write a Python function hours_to_minutes(hours) that converts hours to minutes.",
     "def hours_to_minutes(hours): return hours * 60", "assert hours_to_minutes(2) == 120"),
    ("Write a Python function all_even(nums) that returns True if every number in nums is even.",
     "def all_even(nums): return all(x % 2 == 0 for x in nums)", "assert all_even([2, 4])\nassert not all_even([2, 3])"),
    ("Write a Python function join_words(words) that returns the strings in words joined with spaces.",
     "def join_words(words): return ' '.join(words)", "assert join_words(['a', 'b']) == 'a b'"),
    ("Write a Python function second_element(items) that returns the second element of items.",
     "def second_element(items): return items[1]", "assert second_element([4, 5, 6]) == 5"),
]

if __name__ == "__main__":
    write("code16-test", "code16-test", "code", checked(TEST))
