# Questions of every kind of issue 17, phrased fresh during stop 30, after the first word-problem
# change (cec26e0) and before any other: report only, never tuned on. One file; a row's type is its kind.
from evalsets import kw, num, tests, write

WORD = [
    ("Priya collected 64 shells at the beach and gave 25 of them to her brother. How many shells does she still have?", num(39)),
    ("A bookshelf has 6 shelves, and each shelf holds 18 books. How many books can the bookshelf hold?", num(108)),
    ("72 chairs are arranged in 9 equal rows. How many chairs are in each row?", num(8)),
    ("Grandma baked 35 cookies on Saturday and 28 on Sunday. How many cookies did she bake over the weekend?", num(63)),
    ("A train had 140 passengers. At the first stop, 37 passengers got off. How many passengers remained on the train?", num(103)),
    ("A water tank holds 500 liters, and each bucket holds 20 liters. How many buckets are needed to fill the tank?", num(25)),
    ("Kim scored 17 points fewer than Lee. Lee scored 64 points. How many points did Kim score?", num(47)),
    ("A car travels 55 miles every hour. How far does it travel in 6 hours?", num(330)),
]
MULTI = [
    ("Jake buys 3 shirts at $14 each and a pair of shoes for $39. How much does he spend altogether?", num(81)),
    ("A class has 28 students. Each student needs 3 pencils, and pencils come in boxes of 12. How many boxes are needed?", num(7)),
    ("Rosa had 120 stamps. She gave a quarter of them to her sister and then bought 15 more. How many stamps does she have now?", num(105)),
    ("A gardener plants 8 rows of tulips with 12 tulips in each row. Rabbits eat 17 tulips. How many tulips are left?", num(79)),
    ("Ben saves $25 each week. How many weeks will it take him to save $300?", num(12)),
    ("Tickets cost $9 for adults and $5 for children. How much do 2 adult tickets and 3 child tickets cost?", num(33)),
]
CODE = [
    ("Write a Python function count_char(s, c) that returns how many times the character c appears in the string s.",
     "assert count_char('banana', 'a') == 3\nassert count_char('xyz', 'a') == 0"),
    ("Create a Python function factorial(n) that returns n! for a non-negative integer n.",
     "assert factorial(5) == 120\nassert factorial(0) == 1"),
    ("Give me a Python function merge_lists(a, b) that returns one sorted list with all the elements of the lists a and b.",
     "assert merge_lists([3, 1], [2]) == [1, 2, 3]\nassert merge_lists([], []) == []"),
    ("In Python, write fizz(n), which returns 'Fizz' when n is divisible by 3 and str(n) otherwise.",
     "assert fizz(9) == 'Fizz'\nassert fizz(4) == '4'"),
    ("Write a Python function has_duplicates(items) that returns True if any value occurs more than once in the list items.",
     "assert has_duplicates([1, 2, 1])\nassert not has_duplicates([1, 2, 3])\nassert not has_duplicates([])"),
    ("Python function please: first_letters(words) returns a list with the first letter of each word in words, in upper case.",
     "assert first_letters(['apple', 'bee']) == ['A', 'B']\nassert first_letters([]) == []"),
]
REASON = [
    ("What number comes next in the series 2, 6, 18, 54?", num(162)),
    ("If today is Sunday, what day of the week was it 10 days ago?", kw("Thursday")),
    ("Paul is taller than Quinn. Rita is taller than Paul. Who is the tallest?", kw("Rita")),
    ("All cats are mammals. Whiskers is a cat. Is Whiskers a mammal?", kw("yes")),
    ("What is the next number: 100, 93, 86, 79, ...?", num(72)),
    ("Sara arrived before Tina. Uma arrived after Tina. Who arrived first?", kw("Sara")),
]
FACT = [
    ("What is the chemical symbol for gold?", kw("Au")),
    ("How many continents are there on Earth?", num(7)),
    ("What is the capital city of Italy?", kw("Rome")),
    ("Which animal is known as the king of the jungle?", kw("lion")),
    ("At sea level, at what temperature in degrees Celsius does water boil?", num(100)),
    ("What sweet food do bees make?", kw("honey")),
]

if __name__ == "__main__":
    write("fresh31", "fresh31", None, [("word", q, c) for q, c in WORD] + [("multi", q, c) for q, c in MULTI]
          + [("code", q, tests(t)) for q, t in CODE] + [("reasoning", q, c) for q, c in REASON] + [("fact", q, c) for q, c in FACT])
