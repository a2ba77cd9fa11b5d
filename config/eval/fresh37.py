# The kinds of issue 17 other than code, phrased fresh at the very end of stop 32, after its last change,
# and run once through the fleet to report. Never tuned on.
from evalsets import kw, num, write

ROWS = [
    ("word", "Sofia baked 64 cookies and her brother baked 48. How many cookies did they bake in total?", num(112)),
    ("word", "A pool had 900 liters of water. 350 liters were drained. How many liters are left in the pool?", num(550)),
    ("word", "A carton has 12 eggs. How many eggs are in 15 cartons?", num(180)),
    ("word", "Lucas has 84 cards and puts them equally into 7 piles. How many cards are in each pile?", num(12)),
    ("word", "A jacket costs $58 and Ivy has $100. How much money will she have after buying the jacket?", num(42)),
    ("word", "Max walked 2.4 miles to school and 2.4 miles back home. How many miles did he walk in all?", num(4.8)),
    ("word", "A plane flies 600 km every hour. How far does it fly in 5 hours?", num(3000)),
    ("word", "Paula has 45 dollars. She spends 17 dollars on a scarf. How many dollars does she have left?", num(28)),
    ("word", "Each van can hold 9 people. How many vans are needed to carry 72 people?", num(8)),
    ("word", "Eli is 150 cm tall and his sister is 132 cm tall. How much taller is Eli than his sister?", num(18)),
    ("multi", "A farmer has 6 rows of corn with 15 plants in each row. Deer eat 11 plants. How many corn plants are left?", num(79)),
    ("multi", "Mona buys 4 sandwiches at $6 each and pays with a $50 bill. How much change does she get?", num(26)),
    ("multi", "A library had 420 books. It bought 75 new books and gave away 60 old ones. How many books does it have now?", num(435)),
    ("multi", "Each shelf holds 25 books. A store has 8 shelves and sells 47 books. How many books remain on the shelves?", num(153)),
    ("reasoning", "What is the next number in the sequence 7, 14, 21, 28, ...?", num(35)),
    ("reasoning", "If today is Tuesday, what day will it be in 5 days?", kw("Sunday")),
    ("reasoning", "Kara is older than Lin. Lin is older than Moe. Who is the oldest?", kw("Kara")),
    ("reasoning", "All fish live in water. A trout is a fish. Does a trout live in water?", kw("yes")),
    ("fact", "What is the largest mammal on Earth?", kw("whale")),
    ("fact", "How many sides does a hexagon have?", num(6)),
    ("fact", "What is the chemical formula for water?", kw("H2O")),
    ("fact", "Which country is home to the kangaroo?", kw("Australia")),
]

if __name__ == "__main__":
    write("fresh37", "fresh37", None, ROWS)
