# Questions of the kinds of issue 17 whose rules or tools changed in stop 30, phrased fresh after the
# last change of that stop (f11b7c3): report only, never tuned on. One file; a row's type is its kind.
# (No code rows: nothing about code changed; fresh30 and fresh31 hold 12.)
from evalsets import kw, num, write

ROWS = [
    ("word", "A florist had 85 roses and sold 47 of them. How many roses does the florist have left?", num(38)),
    ("word", "Each crate holds 24 bottles. How many bottles are in 7 crates?", num(168)),
    ("word", "A teacher shares 96 crayons equally among 12 students. How many crayons does each student get?", num(8)),
    ("word", "Uma is 9 cm taller than Vic. Vic is 142 cm tall. How tall is Uma?", num(151)),
    ("word", "A bakery sells muffins for $3 each. How many muffins can you buy with $27?", num(9)),
    ("word", "There are 312 pages in a book. Ella has read 198 pages. How many pages does she still have to read?", num(114)),
    ("multi", "Carlos buys 5 bags of apples with 8 apples in each bag. He eats 6 apples. How many apples does he have left?", num(34)),
    ("multi", "A cinema has 12 rows with 15 seats in each row. If 47 seats are empty, how many seats are taken?", num(133)),
    ("multi", "Hana earns $9 per hour. She works 5 hours on Saturday and 4 hours on Sunday. How much does she earn over the weekend?", num(81)),
    ("multi", "Leo had 60 cards. He gave 15 to Max and then won 22 in a game. How many cards does Leo have now?", num(67)),
    ("multi", "A pizza costs $12 and a drink costs $3. What is the total cost of 3 pizzas and 4 drinks?", num(48)),
    ("multi", "A cyclist rides 18 km every day for 2 weeks. How many km does she ride in total?", num(252)),
    ("reasoning", "What number comes next: 3, 7, 11, 15, ...?", num(19)),
    ("reasoning", "If yesterday was Thursday, what day will it be tomorrow?", kw("Saturday")),
    ("reasoning", "Zoe is faster than Yara, and Yara is faster than Xena. Who is the slowest?", kw("Xena")),
    ("reasoning", "No birds are mammals. A penguin is a bird. Is a penguin a mammal?", kw("no")),
    ("fact", "What is the capital of Canada?", kw("Ottawa")),
    ("fact", "How many days are there in a leap year?", num(366)),
    ("fact", "What is the freezing point of water in degrees Celsius?", num(0)),
    ("fact", "Which organ pumps blood through the human body?", kw("heart")),
]

if __name__ == "__main__":
    write("fresh32", "fresh32", None, ROWS)
