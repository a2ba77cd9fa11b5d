# Questions of the other kinds of issue 17 (one-step and multi-step word problems, simple reasoning,
# facts), phrased fresh at the end of stop 31; nothing of those kinds changed in stop 31. Report only.
from evalsets import kw, num, write

ROWS = [
    ("word", "A library had 240 books on a shelf. Readers borrowed 85 of them. How many books are still on the shelf?", num(155)),
    ("word", "Each box of tea holds 20 bags. How many tea bags are in 9 boxes?", num(180)),
    ("word", "Nine friends split a bill of $108 evenly. How much does each friend pay?", num(12)),
    ("word", "Omar scored 37 points, which is 12 more than Jae. How many points did Jae score?", num(25)),
    ("word", "A train ticket costs $14. How much do 6 tickets cost?", num(84)),
    ("word", "Lena has 63 stickers and gets 29 more from her sister. How many stickers does she have now?", num(92)),
    ("word", "A farmer plants 144 seeds in 12 equal rows. How many seeds are in each row?", num(12)),
    ("word", "Kai walked 4.5 km in the morning and 2.8 km in the evening. How far did he walk in all?", num(7.3)),
    ("multi", "A shop sells pens at $2 each and notebooks at $5 each. Tom buys 4 pens and 3 notebooks. How much does he spend?", num(23)),
    ("multi", "Maya reads 15 pages a day for 6 days and then 20 pages on the seventh day. How many pages does she read in the week?", num(110)),
    ("multi", "A bus has 48 seats. At the first stop 30 people get on, and at the second stop 11 get off and 17 get on. How many seats are empty?", num(12)),
    ("multi", "Ben earns $12 an hour and works 8 hours. He spends $35 on groceries. How much of his pay is left?", num(61)),
    ("multi", "There are 5 shelves with 24 cans each. 38 cans are sold. How many cans remain?", num(82)),
    ("multi", "A rope is 60 m long. Ana cuts off 3 pieces of 12 m each. How long is the rope that is left?", num(24)),
    ("reasoning", "What is the next number in the sequence 5, 10, 20, 40, ...?", num(80)),
    ("reasoning", "If today is Monday, what day of the week will it be in 10 days?", kw("Thursday")),
    ("reasoning", "Pia is taller than Quin. Quin is taller than Rob. Who is the tallest?", kw("Pia")),
    ("reasoning", "All roses are flowers. All flowers need water. Do roses need water?", kw("yes")),
    ("reasoning", "What comes next: 81, 72, 63, 54, ...?", num(45)),
    ("reasoning", "Sam is older than Tia but younger than Uri. Who is the youngest?", kw("Tia")),
    ("reasoning", "If the day before yesterday was Saturday, what day is today?", kw("Monday")),
    ("reasoning", "No reptiles have fur. A snake is a reptile. Does a snake have fur?", kw("no")),
    ("fact", "What is the largest planet in our solar system?", kw("Jupiter")),
    ("fact", "What is the chemical symbol for gold?", kw("Au")),
    ("fact", "How many continents are there on Earth?", num(7)),
    ("fact", "Who wrote the play Romeo and Juliet?", kw("Shakespeare")),
    ("fact", "What is the capital city of Japan?", kw("Tokyo")),
    ("fact", "What gas do plants absorb from the air to make food?", kw("carbon dioxide")),
]

if __name__ == "__main__":
    write("fresh33", "fresh33", None, ROWS)
