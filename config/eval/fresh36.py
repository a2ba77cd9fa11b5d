# The kinds of issue 17 other than code (one-step and multi-step word problems, simple reasoning, facts),
# phrased fresh at the end of stop 32 after all of its changes, before any run on them. Report only.
from evalsets import kw, num, write

ROWS = [
    ("word", "Ollie collected 57 shells on the beach and then found 26 more. How many shells does he have in all?", num(83)),
    ("word", "A cinema sold 340 tickets on Friday and 295 tickets on Saturday. How many more tickets did it sell on Friday?", num(45)),
    ("word", "Each crate holds 18 bottles. How many bottles are in 7 crates?", num(126)),
    ("word", "Five friends share 65 cherries equally. How many cherries does each friend get?", num(13)),
    ("word", "A runner has finished 19 km of a 42 km race. How many kilometers are left?", num(23)),
    ("word", "A shop sells notebooks for $3 each. How many notebooks can Priya buy with $27?", num(9)),
    ("word", "Ben had 150 stamps. He gave 38 stamps to his cousin. How many stamps does Ben have now?", num(112)),
    ("word", "A bike costs $240 and a helmet costs $35. How much do they cost together?", num(275)),
    ("word", "There are 24 hours in a day. How many hours are there in 6 days?", num(144)),
    ("word", "A tank held 80 liters of water. 27 liters leaked out. How many liters are in the tank now?", num(53)),
    ("word", "Rina is 12 years old. Her aunt is 3 times as old as Rina. How old is her aunt?", num(36)),
    ("word", "A class of 32 students is split into groups of 4. How many groups are there?", num(8)),
    ("multi", "A bakery makes 5 trays of cookies with 20 cookies on each tray. It sells 64 cookies. How many cookies are left?", num(36)),
    ("multi", "Tom buys 3 books at $12 each and a pen for $4. How much does he spend in total?", num(40)),
    ("multi", "Ada had 90 marbles. She gave 25 to Ben and 18 to Cleo. How many marbles does she have left?", num(47)),
    ("multi", "A car travels 60 km each hour. How far does it travel in 4 hours and then another 2 hours?", num(360)),
    ("multi", "Jake has 4 boxes of pencils. Each box has 10 pencils. He gives 3 pencils to each of his 5 friends. How many pencils does he have left?", num(25)),
    ("multi", "Nora saves $5 each week for 8 weeks and then spends $15 on a game. How much money does she have left?", num(25)),
    ("reasoning", "What is the next number: 2, 5, 8, 11, ...?", num(14)),
    ("reasoning", "If today is Sunday, what day of the week will it be in 9 days?", kw("Tuesday")),
    ("reasoning", "Rex is heavier than Sid. Sid is heavier than Tad. Who is the lightest?", kw("Tad")),
    ("reasoning", "All birds have feathers. A robin is a bird. Does a robin have feathers?", kw("yes")),
    ("reasoning", "What comes next in the sequence 1, 2, 4, 8, 16, ...?", num(32)),
    ("reasoning", "Yesterday was Thursday. What day will tomorrow be?", kw("Saturday")),
    ("fact", "What is the capital of France?", kw("Paris")),
    ("fact", "How many days are there in a leap year?", num(366)),
    ("fact", "Which animal is known as the king of the jungle?", kw("lion")),
    ("fact", "What is the freezing point of water in degrees Fahrenheit?", num(32)),
    ("fact", "Who was the first person to walk on the Moon?", kw("Armstrong")),
    ("fact", "What is the hardest natural substance on Earth?", kw("diamond")),
]

if __name__ == "__main__":
    write("fresh36", "fresh36", None, ROWS)
