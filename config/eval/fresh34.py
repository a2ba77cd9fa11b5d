# Questions of the other kinds of issue 17 (one-step and multi-step word problems, simple reasoning,
# facts), phrased fresh at the start of stop 32, before any change of that stop. Report only.
from evalsets import kw, num, write

ROWS = [
    ("word", "A baker made 96 muffins and sold 58 of them. How many muffins does the baker have left?", num(38)),
    ("word", "Rosa saves $15 every week. How much will she have saved after 8 weeks?", num(120)),
    ("word", "A theater has 25 rows with 18 seats in each row. How many seats does the theater have?", num(450)),
    ("word", "Dev had 72 marbles. He gave an equal number to each of his 6 cousins and kept none. How many marbles did each cousin get?", num(12)),
    ("word", "A movie lasts 135 minutes. Priya has watched 47 minutes of it. How many minutes are left?", num(88)),
    ("word", "A jar holds 350 grams of honey. How many grams of honey are in 4 jars?", num(1400)),
    ("word", "Leo's team scored 64 points in the first game and 79 points in the second game. How many points did they score altogether?", num(143)),
    ("word", "A box of 24 crayons is shared equally among 3 children. How many crayons does each child get?", num(8)),
    ("word", "Nadia is 11 years old. Her father is 27 years older than her. How old is her father?", num(38)),
    ("word", "A car uses 6 liters of fuel for every 100 km. How many liters does it use to drive 400 km?", num(24)),
    ("multi", "Sara buys 3 bags of apples with 8 apples in each bag. She eats 5 apples. How many apples does she have left?", num(19)),
    ("multi", "A class has 14 boys and 16 girls. The teacher puts them into teams of 5. How many teams are there?", num(6)),
    ("multi", "A T-shirt costs $9 and a cap costs $6. Eli buys 2 T-shirts and 1 cap and pays with a $50 bill. How much change does he get?", num(26)),
    ("multi", "Jon runs 3 km every weekday and 5 km on each day of the weekend. How many kilometers does he run in a week?", num(25)),
    ("multi", "A garden has 7 rows of 9 tulips. 15 tulips were picked. How many tulips are still in the garden?", num(48)),
    ("multi", "Mia had $80. She spent a quarter of it on a book and $12 on lunch. How much money does she have now?", num(48)),
    ("reasoning", "What number comes next: 3, 7, 11, 15, ...?", num(19)),
    ("reasoning", "If today is Friday, what day will it be 4 days from now?", kw("Tuesday")),
    ("reasoning", "Ann runs faster than Bea. Cal runs faster than Ann. Who runs the slowest?", kw("Bea")),
    ("reasoning", "All squares are rectangles. This shape is a square. Is this shape a rectangle?", kw("yes")),
    ("reasoning", "What is the next term: 2, 6, 18, 54, ...?", num(162)),
    ("reasoning", "Tomorrow is Sunday. What day was yesterday?", kw("Friday")),
    ("fact", "What is the boiling point of water in degrees Celsius at sea level?", num(100)),
    ("fact", "Which planet is known as the Red Planet?", kw("Mars")),
    ("fact", "What is the capital of Italy?", kw("Rome")),
    ("fact", "How many legs does a spider have?", num(8)),
    ("fact", "Who painted the Mona Lisa?", kw("Leonardo")),
    ("fact", "What is the largest ocean on Earth?", kw("Pacific")),
]

if __name__ == "__main__":
    write("fresh34", "fresh34", None, ROWS)
